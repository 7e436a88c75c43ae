package plain

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/fold"
	"runway/runbook/session"
	"runway/ui/inert"
)

// printer writes one line per recorded event, read back from the audit log
// so that nothing is shown before it is durable. Every line is redacted,
// then made inert: runbook text, command output and database values can
// neither drive the terminal nor start a line of their own.
type printer struct {
	out     io.Writer
	sess    *session.Session
	lastSeq int64
}

func newPrinter(out io.Writer, sess *session.Session) *printer {
	if out == nil {
		out = io.Discard
	}
	return &printer{out: out, sess: sess, lastSeq: sess.BaseSeq()}
}

// header introduces the run.
func (p *printer) header() {
	st := p.sess.State()
	rb := p.sess.Runbook()
	p.say("session %s: %s — %s (%d phases), operator %s", st.Session, rb.Name, rb.Title, len(rb.Phases), p.sess.Operator())
}

// flush prints the events recorded since the last flush.
func (p *printer) flush() {
	events, err := p.sess.Events(p.lastSeq)
	if err != nil {
		return // the next flush tries again; an audit failure is reported by the caller
	}
	for _, e := range events {
		p.lastSeq = e.Seq
		if line, ok := Line(e); ok {
			fmt.Fprintln(p.out, p.show(line))
		}
	}
}

func (p *printer) say(format string, args ...any) {
	fmt.Fprintln(p.out, p.show(fmt.Sprintf(format, args...)))
}

func (p *printer) prompt(format string, args ...any) {
	fmt.Fprint(p.out, p.show(fmt.Sprintf(format, args...)))
}

// show is one line as printed: secrets masked, then everything that could
// drive the terminal or break the line shown as a visible escape.
func (p *printer) show(line string) string {
	return inert.Line(p.sess.Redact(line))
}

// Line formats an event as one line: time, where, what, detail, e.g.
// "12:03:04 pilot/copy-pilot  passed  copied 1,204 rows of orders in 0.4s".
// ok is false for events line mode leaves out (engine checkpoints of
// unfinished tables: several a second, and the progress lines say as much).
// The line is inert (see runway/ui/inert): what the event carries from
// outside is shown with visible escapes and never breaks the line.
func Line(e audit.Event) (line string, ok bool) {
	where := e.Phase
	if e.Item != "" {
		where += "/" + e.Item
	}
	if where == "" {
		where = "session"
	}
	what, detail, ok := describe(e)
	if !ok {
		return "", false
	}
	line = e.Time.Local().Format("15:04:05") + " " + where + "  " + what
	if detail = oneLine(detail); detail != "" {
		line += "  " + detail
	}
	return inert.Line(line), true
}

// describe says what an event means, in words.
func describe(e audit.Event) (what, detail string, ok bool) {
	switch e.Kind {
	case event.KindSessionOpened:
		var p struct{ Operator, Host string }
		decode(e, &p)
		return "opened", "by " + p.Operator + " on " + p.Host, true
	case event.KindSessionResumed:
		var p event.ResumedPayload
		decode(e, &p)
		return "resumed", "by " + p.Operator + " on " + p.Host, true
	case event.KindSessionClosed:
		var p event.ClosedPayload
		decode(e, &p)
		if p.Status == "passed" {
			p.Status = fold.PassedWord(p.Warnings)
		}
		return "closed", p.Status + " " + p.Reason, true
	case event.KindPhaseStarted:
		return "started", "", true
	case event.KindPhasePassed:
		return "passed", "", true
	case event.KindPhaseHalted:
		var p event.PhasePayload
		decode(e, &p)
		return "halted", p.Reason, true
	case event.KindItemStarted:
		var p event.StartedPayload
		decode(e, &p)
		if p.Attempt > 1 {
			return "started", fmt.Sprintf("attempt %d", p.Attempt), true
		}
		return "started", "", true
	case event.KindItemAwaiting:
		return "awaiting sign-off", "", true
	case event.KindItemPassed, event.KindItemFailed:
		var p event.ResultPayload
		decode(e, &p)
		what := "passed"
		if e.Kind == event.KindItemFailed {
			what = "FAILED"
			if !p.Critical {
				what = "failed (warning)"
			}
		}
		return what, p.Summary, true
	case event.KindItemSkipped:
		var p event.SkipPayload
		decode(e, &p)
		return "skipped", p.Reason, true
	case event.KindItemInterrupted:
		return "interrupted", "", true
	case event.KindItemRetrying:
		var p event.RetryPayload
		decode(e, &p)
		return "retrying", fmt.Sprintf("attempt %d in %s: %s", p.Attempt, ms(p.DelayMS), p.Summary), true
	case event.KindOverrideRequested:
		var p event.OverridePayload
		decode(e, &p)
		return "override requested", fmt.Sprintf("by %s (needs a second person): %s", p.RequestedBy, p.Reason), true
	case event.KindOverrideApproved:
		var p event.OverridePayload
		decode(e, &p)
		return "override approved", "by " + p.ApprovedBy, true
	case event.KindOverrideRejected:
		return "override rejected", "by " + e.Actor, true
	case event.KindItemOverridden:
		var p event.OverridePayload
		decode(e, &p)
		who := "by " + p.RequestedBy
		if p.ApprovedBy != "" {
			who += ", approved by " + p.ApprovedBy
		}
		return "overridden", who + ": " + p.Reason, true
	case event.KindStopTriggered:
		var p event.StopPayload
		decode(e, &p)
		d := p.Reason
		if len(p.Choices) > 0 {
			d += " — choices: " + strings.Join(p.Choices, ", ")
		}
		return "STOP", d, true
	case event.KindStopCleared:
		var p event.StopPayload
		decode(e, &p)
		return "stop cleared", p.Reason, true
	case event.KindNote:
		var p event.NotePayload
		decode(e, &p)
		return "note", e.Actor + ": " + p.Text, true
	case event.KindRollbackPointSet:
		var p event.RollbackPointPayload
		decode(e, &p)
		return "rollback point", p.Name + " set", true
	case event.KindRollbackStarted:
		var p event.RollbackPayload
		decode(e, &p)
		return "rollback started", fmt.Sprintf("to %s: %d steps %s", p.Point, len(p.Steps), strings.Join(p.Steps, ", ")), true
	case event.KindRollbackStepStart:
		return "rollback step started", "", true
	case event.KindRollbackStepAwait:
		return "rollback step awaiting sign-off", "", true
	case event.KindRollbackStepPassed:
		var p event.RollbackStepPayload
		decode(e, &p)
		return "rollback step passed", p.Summary, true
	case event.KindRollbackStepFailed:
		var p event.RollbackStepPayload
		decode(e, &p)
		return "rollback step FAILED", p.Summary, true
	case event.KindRollbackFinished:
		var p event.RollbackPayload
		decode(e, &p)
		if p.OK {
			return "rollback finished", "back at " + p.Point, true
		}
		return "rollback NOT finished", p.Reason, true
	case event.KindEngineProgress:
		var p event.ProgressPayload
		decode(e, &p)
		d := fmt.Sprintf("%s %s", p.Table, count(p.Done))
		if p.Total > 0 {
			d += "/" + count(p.Total)
		}
		d += fmt.Sprintf(" rows, %s rows/s", count(int64(p.RowsPerSec)))
		if p.ETAms > 0 {
			d += ", ETA " + ms(p.ETAms)
		}
		if p.Note != "" {
			d += ", " + p.Note
		}
		return "progress", d, true
	case event.KindEngineCheckpoint:
		var p event.CheckpointPayload
		decode(e, &p)
		if !p.Done {
			return "", "", false
		}
		return "table done", fmt.Sprintf("%s: %s rows", p.Table, count(p.Rows)), true
	case event.KindEngineControl:
		var p event.ControlPayload
		decode(e, &p)
		if p.Action == "rate" {
			return "rate", fmt.Sprintf("%s rows/s by %s", count(int64(p.Rate)), e.Actor), true
		}
		return p.Action + "d", "by " + e.Actor, true
	case event.KindIncidentOpened, event.KindIncidentStep, event.KindIncidentClosed:
		var p event.IncidentPayload
		decode(e, &p)
		switch e.Kind {
		case event.KindIncidentOpened:
			return "incident opened", p.Procedure + " by " + e.Actor, true
		case event.KindIncidentStep:
			return "incident step done", fmt.Sprintf("%s step %d by %s", p.Procedure, p.Step, e.Actor), true
		}
		return "incident closed", p.Procedure + " by " + e.Actor, true
	case event.KindActionRefused:
		var p event.RefusedPayload
		decode(e, &p)
		return "refused", p.Action + " by " + e.Actor + ": " + p.Reason, true
	case event.KindItemProcess:
		var p event.ProcessPayload
		decode(e, &p)
		return "process", fmt.Sprintf("group %d on %s", p.PGID, p.Host), true
	case event.KindControlHanded:
		var p event.ControlHandPayload
		decode(e, &p)
		return "control handed", p.From + " → " + p.To, true
	}
	return e.Kind, "", true
}

func decode(e audit.Event, v any) {
	if len(e.Payload) > 0 {
		_ = json.Unmarshal(e.Payload, v)
	}
}

// count writes 1204 as "1,204".
func count(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func ms(n int64) string {
	if n < 1000 {
		return fmt.Sprintf("%dms", n)
	}
	return fmt.Sprintf("%.1fs", float64(n)/1000)
}
