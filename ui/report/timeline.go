package report

import (
	"fmt"
	"sort"
	"strings"

	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/fold"
)

// telemetry kinds are folded in the timeline: a copy can write hundreds.
func telemetry(kind string) bool {
	return kind == event.KindEngineProgress || kind == event.KindEngineCheckpoint
}

// timeline adds an event to the timeline, folding runs of one item's
// engine telemetry into one entry.
func (b *builder) timeline(e audit.Event) {
	at := e.Time.UTC()
	if telemetry(e.Kind) {
		if f := b.fold; f != nil && f.Phase == e.Phase && f.Item == e.Item {
			f.Folded[e.Kind]++
			f.LastSeq, f.Until = e.Seq, timePtr(at)
		} else {
			b.flushFold()
			b.fold = &Entry{Seq: e.Seq, At: at, Actor: e.Actor, Kind: e.Kind, Phase: e.Phase, Item: e.Item,
				Tone: "info", Folded: map[string]int{e.Kind: 1}}
			b.foldRun = nil
		}
		if e.Kind == event.KindEngineProgress {
			var p event.ProgressPayload
			decode(e.Payload, &p)
			if b.foldRun == nil {
				b.foldRun = &engineRun{}
			}
			b.foldRun.progress(p)
		}
		return
	}
	b.flushFold()
	b.r.Timeline = append(b.r.Timeline, Entry{
		Seq: e.Seq, At: at, Actor: e.Actor, Kind: e.Kind, Phase: e.Phase, Item: e.Item,
		Text: b.describe(e), Tone: tone(e),
	})
}

// flushFold ends the telemetry run being folded and writes its entry.
func (b *builder) flushFold() {
	f := b.fold
	if f == nil {
		return
	}
	b.fold = nil
	if f.Folded[event.KindEngineProgress] > 0 {
		f.Kind = event.KindEngineProgress
	}
	var parts []string
	for _, k := range []string{event.KindEngineProgress, event.KindEngineCheckpoint} {
		if n := f.Folded[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s ×%s", k, Count(int64(n))))
		}
	}
	text := strings.Join(parts, ", ")
	if r := b.foldRun; r != nil {
		var tables []string
		for _, p := range r.tables {
			s := fmt.Sprintf("%s %s", p.Table, Count(p.Done))
			if p.Total > 0 {
				s += " of " + Count(p.Total)
			}
			s += " rows"
			if p.RowsPerSec > 0 {
				s += " at " + Rate(p.RowsPerSec)
			}
			if p.Note != "" {
				s += " (" + p.Note + ")"
			}
			tables = append(tables, s)
		}
		if len(tables) > 0 {
			text += ": last " + strings.Join(tables, "; ")
		}
	}
	if f.LastSeq == f.Seq {
		f.LastSeq = 0
	}
	f.Text = text
	b.r.Timeline = append(b.r.Timeline, *f)
}

// tone classes an event for the reader: a word, so colour is never the only signal.
func tone(e audit.Event) string {
	switch e.Kind {
	case event.KindItemFailed, event.KindRollbackStepFailed, event.KindStopTriggered,
		event.KindPhaseHalted, event.KindOverrideRejected:
		return "fail"
	case event.KindRollbackFinished:
		var p event.RollbackPayload
		decode(e.Payload, &p)
		if !p.OK {
			return "fail"
		}
		return "rollback"
	case event.KindItemOverridden, event.KindOverrideRequested, event.KindOverrideApproved:
		return "override"
	case event.KindItemPassed:
		var p event.ResultPayload
		decode(e.Payload, &p)
		if p.SignOff != nil {
			return "signoff"
		}
		return "ok"
	case event.KindPhasePassed, event.KindStopCleared, event.KindRollbackStepPassed:
		return "ok"
	case event.KindRollbackPointSet, event.KindRollbackStarted, event.KindRollbackStepStart:
		return "rollback"
	case event.KindItemRetrying, event.KindItemInterrupted, event.KindItemSkipped,
		event.KindActionRefused, event.KindIncidentOpened, event.KindIncidentStep,
		event.KindIncidentClosed, event.KindItemAwaiting:
		return "warn"
	}
	return "info"
}

// describe says in one line what an event records.
func (b *builder) describe(e audit.Event) string {
	title := b.t.item(e.Phase, e.Item)
	switch e.Kind {
	case event.KindSessionOpened:
		var p audit.OpenedPayload
		decode(e.Payload, &p)
		return fmt.Sprintf("session opened by %s on %s, runbook %s", orString(p.Operator, e.Actor), orString(p.Host, "?"), p.Runbook)
	case event.KindSessionResumed:
		var p event.ResumedPayload
		decode(e.Payload, &p)
		return fmt.Sprintf("session resumed by %s on %s", orString(p.Operator, e.Actor), orString(p.Host, "?"))
	case event.KindSessionClosed:
		var p event.ClosedPayload
		decode(e.Payload, &p)
		if p.Status == "passed" {
			p.Status = fold.PassedWord(p.Warnings)
		}
		return "session closed: " + withReason(p.Status, p.Reason)
	case event.KindPhaseStarted:
		return "phase " + b.t.phase(e.Phase) + " started"
	case event.KindPhasePassed:
		return "phase " + b.t.phase(e.Phase) + " passed"
	case event.KindPhaseHalted:
		var p event.PhasePayload
		decode(e.Payload, &p)
		return withReason("phase "+b.t.phase(e.Phase)+" HALTED", p.Reason)
	case event.KindItemStarted:
		var p event.StartedPayload
		decode(e.Payload, &p)
		return fmt.Sprintf("%s: started (%s, attempt %d)", title, orString(p.Kind, "?"), p.Attempt)
	case event.KindItemAwaiting:
		return title + ": waiting for a sign-off"
	case event.KindItemPassed, event.KindItemFailed:
		var p event.ResultPayload
		decode(e.Payload, &p)
		verb := "passed"
		if e.Kind == event.KindItemFailed {
			verb = "FAILED"
			if p.Critical || b.t.crit[e.Phase+"/"+e.Item] {
				verb = "FAILED (critical)"
			}
		}
		s := fmt.Sprintf("%s: %s", title, verb)
		if p.Attempt > 1 {
			s += fmt.Sprintf(" on attempt %d", p.Attempt)
		}
		if so := p.SignOff; so != nil {
			s += fmt.Sprintf(", signed off by %s as %s", orString(so.Operator, e.Actor), orString(so.Role, "-"))
			if so.Observation != "" {
				s += ": “" + squeeze(so.Observation) + "”"
			}
			return s
		}
		return withReason(s, squeeze(p.Summary))
	case event.KindItemSkipped:
		var p event.SkipPayload
		decode(e.Payload, &p)
		return withReason(title+": skipped", p.Reason)
	case event.KindItemInterrupted:
		return title + ": interrupted"
	case event.KindItemProcess:
		var p event.ProcessPayload
		decode(e.Payload, &p)
		return fmt.Sprintf("%s: command runs as process group %d on %s", title, p.PGID, p.Host)
	case event.KindItemRetrying:
		var p event.RetryPayload
		decode(e.Payload, &p)
		return withReason(fmt.Sprintf("%s: retrying in %s (attempt %d)", title, Duration(msDur(p.DelayMS)), p.Attempt), squeeze(p.Summary))
	case event.KindOverrideRequested:
		var p event.OverridePayload
		decode(e.Payload, &p)
		return fmt.Sprintf("%s: override requested by %s (%s policy): %s", title, orString(p.RequestedBy, e.Actor), p.Policy, p.Reason)
	case event.KindOverrideApproved:
		var p event.OverridePayload
		decode(e.Payload, &p)
		return fmt.Sprintf("%s: override approved by %s", title, orString(p.ApprovedBy, e.Actor))
	case event.KindOverrideRejected:
		return fmt.Sprintf("%s: override rejected by %s", title, e.Actor)
	case event.KindItemOverridden:
		var p event.OverridePayload
		decode(e.Payload, &p)
		s := fmt.Sprintf("%s: OVERRIDDEN by %s", title, orString(p.RequestedBy, e.Actor))
		if p.ApprovedBy != "" {
			s += ", approved by " + p.ApprovedBy
		}
		return s + ": " + p.Reason
	case event.KindStopTriggered:
		var p event.StopPayload
		decode(e.Payload, &p)
		return fmt.Sprintf("STOP RULE: %s (choices: %s)", p.Reason, joinOr(p.Choices, "none"))
	case event.KindStopCleared:
		var p event.StopPayload
		decode(e.Payload, &p)
		return withReason("stop rule cleared", p.Reason)
	case event.KindNote:
		var p event.NotePayload
		decode(e.Payload, &p)
		return "note: " + squeeze(p.Text)
	case event.KindRollbackPointSet:
		var p event.RollbackPointPayload
		decode(e.Payload, &p)
		return "rollback point " + p.Name + " set"
	case event.KindRollbackStarted:
		var p event.RollbackPayload
		decode(e.Payload, &p)
		return fmt.Sprintf("rollback to %s started: %s", p.Point, plural(len(p.Steps), "step", "steps"))
	case event.KindRollbackStepStart:
		return "rollback step " + title + ": started"
	case event.KindRollbackStepPassed, event.KindRollbackStepFailed:
		var p event.RollbackStepPayload
		decode(e.Payload, &p)
		verb := "passed"
		if e.Kind == event.KindRollbackStepFailed {
			verb = "FAILED"
		}
		return withReason("rollback step "+title+": "+verb, squeeze(p.Summary))
	case event.KindRollbackFinished:
		var p event.RollbackPayload
		decode(e.Payload, &p)
		if p.OK {
			return "rollback to " + p.Point + " finished"
		}
		return withReason("rollback to "+p.Point+" FAILED", p.Reason)
	case event.KindEngineControl:
		var p event.ControlPayload
		decode(e.Payload, &p)
		switch p.Action {
		case "rate":
			if p.Rate == 0 {
				return title + ": rate limit removed"
			}
			return fmt.Sprintf("%s: rate limit set to %s", title, Rate(float64(p.Rate)))
		case "pause":
			return title + ": engine paused"
		case "resume":
			return title + ": engine resumed"
		}
		return title + ": engine " + p.Action
	case event.KindIncidentOpened, event.KindIncidentStep, event.KindIncidentClosed:
		var p event.IncidentPayload
		decode(e.Payload, &p)
		switch e.Kind {
		case event.KindIncidentOpened:
			return "incident opened: procedure " + p.Procedure
		case event.KindIncidentStep:
			return withReason(fmt.Sprintf("incident %s: step %d done", p.Procedure, p.Step), p.Note)
		}
		return "incident closed: procedure " + p.Procedure
	case event.KindActionRefused:
		var p event.RefusedPayload
		decode(e.Payload, &p)
		return fmt.Sprintf("refused %s: %s", p.Action, p.Reason)
	case event.KindControlHanded:
		var p event.ControlHandPayload
		decode(e.Payload, &p)
		return fmt.Sprintf("control handed from %s to %s", p.From, p.To)
	}
	if p := payloadText(e.Payload); p != "" {
		return e.Kind + " " + p
	}
	return e.Kind
}

// payloadText shows an unknown event's payload compactly: "key=value …".
func payloadText(raw []byte) string {
	var m map[string]any
	decode(raw, &m)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var s strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&s, " %s=%v", k, m[k])
	}
	return squeeze(s.String())
}

func withReason(s, reason string) string {
	if reason == "" {
		return s
	}
	return s + ": " + reason
}
