package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/session"
	"runway/ui/inert"
	"runway/ui/plain"
)

func init() { register(newRun) }

// openConsole opens the full-screen console on a session and returns the
// exit status; the console sets it from its own file. While it is nil, or
// with --plain, or when stdout is not a terminal, the session runs in line mode.
var openConsole func(sess *session.Session, g *Globals, s IO) int

// newRun is `runway run FILE [--plain]`: start a session on a runbook.
func newRun(g *Globals, s IO) *cobra.Command {
	var plainMode bool
	cmd := &cobra.Command{
		Use:   "run FILE",
		Short: "Start a session on a runbook: the console on a terminal, line output otherwise",
		Long: "Start a session on a runbook and drive it phase by phase, recording every step in the audit log.\n" +
			"On a terminal the console opens; otherwise (or with --plain) one line is printed per event and\n" +
			"manual sign-offs are asked on stdin. Exit status: 0 all phases passed, 1 stopped, 2 invalid\n" +
			"runbook, 3 the audit log could not be written. Ctrl-C closes the session; `runway resume` continues it.",
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
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
			sess, err := session.Start(log, rb, sessionOptions(g))
			if err != nil {
				return auditFailure(g.Audit, err)
			}
			return drive(sess, g, s, plainMode)
		},
	}
	cmd.Flags().BoolVar(&plainMode, "plain", false, "print one line per event even on a terminal")
	return cmd
}

func sessionOptions(g *Globals) session.Options {
	host, _ := os.Hostname()
	return session.Options{Operator: g.Operator, Host: host, Env: os.LookupEnv}
}

// drive runs a session in the console or in line mode and turns the outcome
// into an exit status. SIGINT and SIGTERM close the session resumably.
func drive(sess *session.Session, g *Globals, s IO, plainMode bool) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer listenApprovals(sess, g, s)()
	var code int
	if !plainMode && openConsole != nil && plain.IsTerminal(s.Out) {
		code = openConsole(sess, g, s)
	} else {
		code = plain.Run(ctx, sess, s.In, s.Out, approveHint(sess.ID(), g.Audit))
	}
	closeCtx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := sess.Close(closeCtx); err != nil {
		return auditFailure(g.Audit, err)
	}
	switch code {
	case ExitOK:
		return nil
	case ExitAuditLog:
		return auditFailure(g.Audit, errors.New("the audit log could not be written"))
	}
	st := sess.State()
	why := fmt.Sprintf("session %s stopped before every phase passed; continue it with: %s", sess.ID(), resumeHint(sess.ID(), g.Audit))
	if st.Stop != nil {
		why = fmt.Sprintf("session %s stopped: %s", sess.ID(), st.Stop.Reason)
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
