package event

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/dustin/go-humanize"

	"runway/runbook/audit"
	"runway/runbook/text"
)

// Words are what an event says: What happened, in a few words ("passed",
// "FAILED", "override requested"), and the Detail it carries (a summary, a
// reason, who did it). The plain runner, watch, replay and the report all
// say events in these words; each adds its own place, time and styling.
// Words are raw: what the event carries from outside is not yet made inert.
type Words struct {
	What   string
	Detail string
}

// Describe says an event in words. An unknown kind is named as it is, with
// its payload as "key=value" pairs.
func Describe(e audit.Event) Words {
	switch e.Kind {
	case KindSessionOpened, KindSessionResumed, KindSessionClosed:
		return sessionWords(e)
	case KindPhaseStarted, KindPhasePassed, KindPhaseHalted:
		return phaseWords(e)
	case KindItemStarted, KindItemAwaiting, KindItemPassed, KindItemFailed, KindItemSkipped,
		KindItemInterrupted, KindItemRetrying, KindItemProcess:
		return itemWords(e)
	case KindOverrideRequested, KindOverrideApproved, KindOverrideRejected, KindItemOverridden:
		return overrideWords(e)
	case KindStopTriggered, KindStopCleared, KindNote, KindActionRefused, KindControlHanded:
		return operatorWords(e)
	case KindRollbackPointSet, KindRollbackStarted, KindRollbackStepStart, KindRollbackStepAwait,
		KindRollbackStepPassed, KindRollbackStepFailed, KindRollbackFinished:
		return rollbackWords(e)
	case KindEngineProgress, KindEngineCheckpoint, KindEngineControl:
		return engineWords(e)
	case KindEnginePlan:
		return planWords(e)
	case KindIncidentOpened, KindIncidentStep, KindIncidentClosed:
		return incidentWords(e)
	case KindNotifySent, KindNotifyFailed, KindNotifyDropped, KindNotifyEscalated:
		return notifyWords(e)
	case KindGuardSample, KindGuardState, KindGuardRecovered, KindGuardAcknowledged:
		return guardWords(e) // guard.go
	case KindDriftWarning:
		return driftWords(e)
	}
	return Words{e.Kind, payloadPairs(e.Payload)}
}

func sessionWords(e audit.Event) Words {
	switch e.Kind {
	case KindSessionOpened:
		p := Decode[audit.OpenedPayload](e.Payload)
		return Words{"opened", byOn(or(p.Operator, e.Actor), p.Host)}
	case KindSessionResumed:
		p := Decode[ResumedPayload](e.Payload)
		return Words{"resumed", byOn(or(p.Operator, e.Actor), p.Host)}
	}
	p := Decode[ClosedPayload](e.Payload)
	if p.Status == "passed" {
		p.Status = PassedWord(p.Warnings)
	}
	return Words{"closed", strings.TrimSpace(p.Status + " " + p.Reason)}
}

func phaseWords(e audit.Event) Words {
	switch e.Kind {
	case KindPhaseStarted:
		return Words{What: "started"}
	case KindPhasePassed:
		return Words{What: "passed"}
	}
	return Words{"halted", Decode[PhasePayload](e.Payload).Reason}
}

func itemWords(e audit.Event) Words {
	switch e.Kind {
	case KindItemStarted:
		if p := Decode[StartedPayload](e.Payload); p.Attempt > 1 {
			return Words{"started", fmt.Sprintf("attempt %d", p.Attempt)}
		}
		return Words{What: "started"}
	case KindItemAwaiting:
		return Words{What: "awaiting sign-off"}
	case KindItemPassed, KindItemFailed:
		p := Decode[ResultPayload](e.Payload)
		what := "passed"
		if e.Kind == KindItemFailed {
			what = "FAILED"
			if !p.Critical {
				what = "failed (warning)"
			}
		}
		return Words{what, p.Summary}
	case KindItemSkipped:
		return Words{"skipped", Decode[SkipPayload](e.Payload).Reason}
	case KindItemInterrupted:
		return Words{What: "interrupted"}
	case KindItemRetrying:
		p := Decode[RetryPayload](e.Payload)
		return Words{"retrying", fmt.Sprintf("attempt %d in %s: %s", p.Attempt, ms(p.DelayMS), p.Summary)}
	}
	p := Decode[ProcessPayload](e.Payload)
	return Words{"process", fmt.Sprintf("group %d on %s", p.PGID, p.Host)}
}

func overrideWords(e audit.Event) Words {
	p := Decode[OverridePayload](e.Payload)
	p.RequestedBy = or(p.RequestedBy, e.Actor)
	switch e.Kind {
	case KindOverrideRequested:
		return Words{"override requested", fmt.Sprintf("by %s (needs a second person): %s", p.RequestedBy, p.Reason)}
	case KindOverrideApproved:
		return Words{"override approved", "by " + or(p.ApprovedBy, e.Actor)}
	case KindOverrideRejected:
		return Words{"override rejected", "by " + e.Actor}
	}
	who := "by " + p.RequestedBy
	if p.ApprovedBy != "" {
		who += ", approved by " + p.ApprovedBy
	}
	return Words{"overridden", who + ": " + p.Reason}
}

func operatorWords(e audit.Event) Words {
	switch e.Kind {
	case KindStopTriggered:
		p := Decode[StopPayload](e.Payload)
		d := p.Reason
		if len(p.Choices) > 0 {
			d += " — choices: " + strings.Join(p.Choices, ", ")
		}
		return Words{"STOP", d}
	case KindStopCleared:
		return Words{"stop cleared", Decode[StopPayload](e.Payload).Reason}
	case KindNote:
		return Words{"note", e.Actor + ": " + Decode[NotePayload](e.Payload).Text}
	case KindActionRefused:
		p := Decode[RefusedPayload](e.Payload)
		return Words{"refused", p.Action + " by " + e.Actor + ": " + p.Reason}
	}
	p := Decode[ControlHandPayload](e.Payload)
	return Words{"control handed", p.From + " → " + p.To}
}

func rollbackWords(e audit.Event) Words {
	switch e.Kind {
	case KindRollbackPointSet:
		return Words{"rollback point", Decode[RollbackPointPayload](e.Payload).Name + " set"}
	case KindRollbackStarted:
		p := Decode[RollbackPayload](e.Payload)
		steps := "steps"
		if len(p.Steps) == 1 {
			steps = "step"
		}
		return Words{"rollback started", fmt.Sprintf("to %s: %d %s %s", p.Point, len(p.Steps), steps, strings.Join(p.Steps, ", "))}
	case KindRollbackStepStart:
		return Words{What: "rollback step started"}
	case KindRollbackStepAwait:
		return Words{What: "rollback step awaiting sign-off"}
	case KindRollbackStepPassed:
		return Words{"rollback step passed", Decode[RollbackStepPayload](e.Payload).Summary}
	case KindRollbackStepFailed:
		return Words{"rollback step FAILED", Decode[RollbackStepPayload](e.Payload).Summary}
	}
	p := Decode[RollbackPayload](e.Payload)
	if p.OK {
		return Words{"rollback finished", "back at " + p.Point}
	}
	return Words{"rollback NOT finished", p.Reason}
}

func engineWords(e audit.Event) Words {
	switch e.Kind {
	case KindEngineProgress:
		return Words{"progress", ProgressWords(Decode[ProgressPayload](e.Payload))}
	case KindEngineCheckpoint:
		p := Decode[CheckpointPayload](e.Payload)
		if !p.Done {
			return Words{"checkpoint", fmt.Sprintf("%s: %s", p.Table, text.Counts(p.Rows, "row"))}
		}
		return Words{"table done", fmt.Sprintf("%s: %s", p.Table, text.Counts(p.Rows, "row"))}
	}
	p := Decode[ControlPayload](e.Payload)
	if p.Action == "rate" {
		return Words{"rate", fmt.Sprintf("%s rows/s by %s", humanize.Comma(int64(p.Rate)), e.Actor)}
	}
	return Words{p.Action + "d", "by " + e.Actor}
}

// ProgressWords is one progress sample: "orders 1,000/4,000 rows, 2,000
// rows/s, ETA 1.5s".
func ProgressWords(p ProgressPayload) string {
	d := fmt.Sprintf("%s %s", p.Table, humanize.Comma(p.Done))
	last := p.Done
	if p.Total > 0 {
		d += "/" + humanize.Comma(p.Total)
		last = p.Total
	}
	d += fmt.Sprintf(" %s, %s rows/s", text.Noun(last, "row", "rows"), humanize.Comma(int64(p.RowsPerSec)))
	if p.ETAms > 0 {
		d += ", ETA " + ms(p.ETAms)
	}
	if p.Note != "" {
		d += ", " + p.Note
	}
	return d
}

func incidentWords(e audit.Event) Words {
	p := Decode[IncidentPayload](e.Payload)
	switch e.Kind {
	case KindIncidentOpened:
		return Words{"incident opened", p.Procedure + " by " + e.Actor}
	case KindIncidentStep:
		d := fmt.Sprintf("%s step %d by %s", p.Procedure, p.Step, e.Actor)
		if p.Note != "" {
			d += ": " + p.Note
		}
		return Words{"incident step done", d}
	}
	return Words{"incident closed", p.Procedure + " by " + e.Actor}
}

// PassedWord is how a passed session is named: "passed", or "passed with
// N warnings" when non-critical items failed on the way.
func PassedWord(warnings int) string {
	switch {
	case warnings <= 0:
		return "passed"
	case warnings == 1:
		return "passed with 1 warning"
	}
	return fmt.Sprintf("passed with %d warnings", warnings)
}

// byOn is "by WHO on HOST", or "by WHO" when the host is not known.
func byOn(who, host string) string {
	if host == "" {
		return "by " + who
	}
	return "by " + who + " on " + host
}

// or is s, or def when s is empty.
func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// ms is a delay in milliseconds as read: "750ms", "1.5s".
func ms(n int64) string {
	if n < 1000 {
		return fmt.Sprintf("%dms", n)
	}
	return fmt.Sprintf("%.1fs", float64(n)/1000)
}

// payloadPairs shows an unknown event's payload compactly: "key=value …",
// keys in order.
func payloadPairs(raw json.RawMessage) string {
	m := Decode[map[string]any](raw)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var s strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&s, " %s=%v", k, m[k])
	}
	return strings.TrimSpace(s.String())
}
