package cli

import (
	"fmt"
	"io"

	"runway/runbook/session"
	"runway/ui/inert"
)

// printAnchor prints, once the session is closed, the anchor of its last
// event (SEQ:HASH, as verify-log prints it and --expect takes it: noted
// elsewhere, it shows later that the log was not cut short) and the
// command that writes its report.
func printAnchor(w io.Writer, sess *session.Session, auditPath string) {
	if w == nil {
		return
	}
	st := sess.State()
	events, err := sess.Events(st.Seq - 1)
	if err != nil || len(events) == 0 {
		return
	}
	last := events[len(events)-1]
	fmt.Fprintf(w, "session %s %s\n", inert.Line(sess.ID()), inert.Line(sess.Redact(st.Ending())))
	fmt.Fprintf(w, "anchor %d:%s\n", last.Seq, last.Hash)
	fmt.Fprintf(w, "report: %s\n", reportHint(sess.ID(), auditPath))
}

// reportHint is the command that writes session id's report.
func reportHint(id, auditPath string) string {
	return "runway report" + auditArg(auditPath) + " " + shellQuote(id)
}
