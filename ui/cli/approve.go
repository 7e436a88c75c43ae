package cli

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"runway/runbook/session"
	"runway/runbook/session/approvals"
)

// newDecision is `runway approve [SESSION]` or `runway reject [SESSION]`:
// a second person's decision on a two-person override, taken from their own
// login and carried to the process driving the session, which asks the
// kernel who connected. --operator plays no part: the login is who decides.
func newDecision(g *Globals, s IO, op string) *cobra.Command {
	short := "Approve a two-person override from your own login; the driving process records your OS user"
	if op == approvals.OpReject {
		short = "Turn down a two-person override that waits for approval (the requester may withdraw their own)"
	}
	return &cobra.Command{
		Use:   op + " [SESSION]",
		Short: short,
		Long: short + ".\nThe session is the one driven on this host beside the audit log when only one is;\n" +
			"name it when several are. Exit status: 0 recorded, 1 refused (you requested the override,\n" +
			"you run the driving process, or you may not write the audit log), 2 nothing waits or no runway\n" +
			"process drives the session.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			id := ""
			if len(args) == 1 {
				id = args[0]
			}
			id, err := drivenSession(g.Audit, id, op)
			if err != nil {
				return err
			}
			r := approvals.Ask(g.Audit, id, op, "")
			if r.Code != approvals.Done {
				return exitf(r.Code, "%s", r.Line)
			}
			fmt.Fprintln(s.Out, r.Line)
			return nil
		},
	}
}

// drivenSession is id, or the one session driven beside the audit log.
func drivenSession(audit, id, op string) (string, error) {
	if id != "" {
		return id, nil
	}
	ids, err := approvals.Sessions(audit)
	switch {
	case err != nil:
		return "", withCode(ExitUsage, err)
	case len(ids) == 0:
		return "", exitf(ExitUsage, "no runway process drives a session of %s on this host: nothing waits for approval", audit)
	case len(ids) > 1:
		return "", exitf(ExitUsage, "sessions %s of %s have approval sockets: name one: runway %s SESSION%s",
			strings.Join(ids, ", "), audit, op, auditArg(audit))
	}
	return ids[0], nil
}

// approveHint is the command a second person runs from their own login to
// approve an override in session id: the audit path is absolute, since
// their working folder is theirs.
func approveHint(id, audit string) string {
	return "approve from another login: " + approveCommand(id, audit)
}

// approveCommand is `runway approve` for session id, with the audit log's
// absolute path.
func approveCommand(id, audit string) string {
	if abs, err := filepath.Abs(audit); err == nil {
		audit = abs
	}
	return "runway approve " + shellQuote(id) + " --audit " + shellQuote(audit)
}

// listenApprovals opens the session's approval socket when its runbook has
// a two-person phase, so that a second person can approve from their own
// login; it returns what closes it. When the socket can't be opened the
// session still runs, and one line says approvals from elsewhere are off.
func listenApprovals(sess *session.Session, g *Globals, s IO) func() {
	if !approvals.TwoPerson(sess.Runbook()) {
		return func() {}
	}
	l, err := approvals.Listen(sess, g.Audit)
	if err != nil {
		fmt.Fprintln(s.Err, "runway: approvals from another login are off: "+sess.Redact(err.Error()))
		return func() {}
	}
	return func() { _ = l.Close() }
}
