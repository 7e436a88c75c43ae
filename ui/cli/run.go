package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/session"
	"runway/ui/inert"
	"runway/ui/plain"
)

// newRun is `runway run FILE [--plain]`: start a session on a runbook.
func newRun(g *Globals, s IO) *cobra.Command {
	var (
		plainMode bool
		mf        metricsFlags
	)
	cmd := &cobra.Command{
		Use:   "run FILE",
		Short: "Start a session on a runbook: the console on a terminal, line output otherwise",
		Long: "Start a session on a runbook and drive it phase by phase, recording every step in the audit log.\n" +
			"On a terminal the console opens; otherwise (or with --plain) one line is printed per event and\n" +
			"manual sign-offs are asked on stdin. Exit status: 0 all phases passed (also when non-critical items\n" +
			"failed: the session \"passed with N warnings\"), 1 stopped by a stop rule or not finished, 2 invalid\n" +
			"runbook, 3 the audit log could not be written. Ctrl-C, SIGTERM or a hang-up (the terminal or SSH link\n" +
			"going away) closes the session, running items recorded as interrupted (exit 1); `runway resume`\n" +
			"continues it. When the session ends, its outcome in one line, its anchor (SEQ:HASH, for\n" +
			"verify-log --expect) and the command for its report are printed.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// Load first: a runbook that does not load never creates a session.
			rb, err := runbook.Load(args[0])
			if err != nil {
				return invalidRunbook(s, args[0], err)
			}
			log, err := audit.Open(g.Audit)
			if err != nil {
				return auditFailure(g.Audit, err)
			}
			defer log.Close()
			absorbHangups() // a hang-up from here on cannot kill runway between two events
			sess, err := session.Start(cmd.Context(), log, rb, sessionOptions(g))
			if err != nil {
				return auditFailure(g.Audit, err)
			}
			defer mf.serve(sess)()
			return drive(sess, g, s, plainMode)
		},
	}
	cmd.Flags().BoolVar(&plainMode, "plain", false, "print one line per event even on a terminal")
	mf.add(cmd, s)
	return cmd
}

func sessionOptions(g *Globals) session.Options {
	host, _ := os.Hostname()
	return session.Options{Operator: g.Operator, Host: host, Env: os.LookupEnv}
}

// drive runs a session in the console or in line mode and turns the outcome
// into an exit status. SIGINT and SIGTERM close the session resumably; so
// does a hang-up (SIGHUP, a lost terminal, an output that can no longer be
// written), recorded as such. Once the session is closed, its anchor and
// the command for its report are printed.
func drive(sess *session.Session, g *Globals, s IO, plainMode bool) error {
	st, stop := watchStops(sess)
	defer stop()
	defer listenApprovals(sess, g, s)()
	var code int
	if !plainMode && plain.IsTerminal(s.Out) {
		// The console quits when st.ctx ends (a signal, a hang-up).
		code = runConsole(st.ctx, sess, g, IO{In: watchInput(s.In, st), Out: s.Out, Err: s.Err})
	} else {
		tty := plain.IsTerminal(s.In)
		out := io.Writer(io.Discard)
		if s.Out != nil {
			out = watchedOutput{w: s.Out, st: st}
		}
		code = plain.Driver{In: watchInput(s.In, st), Out: out, Interactive: tty, Echo: !tty, Approve: approveHint(sess.ID(), g.Audit)}.Run(st.ctx, sess)
	}
	closeCtx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := sess.Close(closeCtx); err != nil {
		return auditFailure(g.Audit, err)
	}
	if code != ExitAuditLog {
		printAnchor(s.Out, sess, g.Audit)
	}
	switch code {
	case ExitOK:
		return nil
	case ExitAuditLog:
		return auditFailure(g.Audit, errors.New("the audit log could not be written"))
	}
	state := sess.State()
	why := fmt.Sprintf("session %s stopped before every phase passed; continue it with: %s", sess.ID(), resumeHint(sess.ID(), g.Audit))
	if state.Stop != nil {
		why = fmt.Sprintf("session %s stopped: %s", sess.ID(), state.Stop.Reason)
	}
	return &ExitError{Code: ExitStopped, Err: errors.New(sess.Redact(why))}
}

// invalidRunbook prints a runbook's problems, one file:line:col per line,
// and returns exit status 2.
func invalidRunbook(s IO, file string, err error) error {
	var ps runbook.Problems
	if !errors.As(err, &ps) {
		return withCode(ExitUsage, err)
	}
	for _, p := range ps {
		fmt.Fprintln(s.Err, inert.Line(p.String()))
	}
	noun := "problems"
	if len(ps) == 1 {
		noun = "problem"
	}
	return exitf(ExitUsage, "%s is not a valid runbook (%d %s)", file, len(ps), noun)
}

// auditFailure is exit status 3 with one line naming the log and the reason.
func auditFailure(path string, err error) error {
	msg := strings.Join(strings.Fields(err.Error()), " ")
	if !strings.HasPrefix(msg, "audit log") {
		msg = "audit log " + path + ": " + msg
	}
	return &ExitError{Code: ExitAuditLog, Err: errors.New(msg)}
}
