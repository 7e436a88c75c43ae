package report

import (
	"fmt"
	"strings"

	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/text"
)

// telemetry kinds are folded in the timeline: a copy can write hundreds.
func telemetry(kind string) bool {
	return kind == event.KindEngineProgress || kind == event.KindEngineCheckpoint
}

// timeline adds an event to the timeline, folding runs of one item's
// engine telemetry into one entry.
func (b *builder) timeline(e audit.Event) {
	at := e.Time.UTC()
	if e.Kind == event.KindGuardSample {
		return // counted in the Guards section: a guard every second would drown the timeline
	}
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
	summary := strings.Join(parts, ", ")
	if r := b.foldRun; r != nil {
		var tables []string
		for _, p := range r.tables {
			s := fmt.Sprintf("%s %s", p.Table, Count(p.Done))
			last := p.Done
			if p.Total > 0 {
				s += " of " + Count(p.Total)
				last = p.Total
			}
			s += " " + text.Noun(last, "row", "rows")
			if p.RowsPerSec > 0 {
				s += " at " + Rate(p.RowsPerSec)
			}
			if p.Note != "" {
				s += " (" + p.Note + ")"
			}
			tables = append(tables, s)
		}
		if len(tables) > 0 {
			summary += ": last " + strings.Join(tables, "; ")
		}
	}
	if f.LastSeq == f.Seq {
		f.LastSeq = 0
	}
	f.Text = summary
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

// describe says in one line what an event records: the event's own words
// (event.Describe, as the plain runner and watch say them), placed by the
// runbook's titles.
func (b *builder) describe(e audit.Event) string {
	w := event.Describe(e)
	line := w.What
	if d := text.OneLine(w.Detail); d != "" {
		line += ": " + d
	}
	switch {
	case e.Item != "":
		return b.t.item(e.Phase, e.Item) + ": " + line
	case e.Phase != "":
		return "phase " + b.t.phase(e.Phase) + " " + line
	}
	return "session " + line
}
