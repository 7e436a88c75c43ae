package plain

import (
	"fmt"
	"io"

	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/session"
	"runway/runbook/text"
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
// The words are the event's own (event.Describe). ok is false for events
// line mode leaves out (engine checkpoints of unfinished tables: several a
// second, and the progress lines say as much; guard samples). The line is
// inert (see runway/ui/inert): what the event carries from outside is shown
// with visible escapes and never breaks the line.
func Line(e audit.Event) (line string, ok bool) {
	if e.Kind == event.KindEngineCheckpoint && !event.Decode[event.CheckpointPayload](e.Payload).Done {
		return "", false
	}
	if e.Kind == event.KindGuardSample {
		return "", false // a guard's changes of state are printed; its samples would be a line every few seconds
	}
	where := e.Phase
	if e.Item != "" {
		where += "/" + e.Item
	}
	if where == "" {
		where = "session"
	}
	w := event.Describe(e)
	line = e.Time.Local().Format("15:04:05") + " " + where + "  " + w.What
	if detail := text.OneLine(w.Detail); detail != "" {
		line += "  " + detail
	}
	return inert.Line(line), true
}
