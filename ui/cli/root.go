// Package cli is runway's command line: one file per subcommand, listed
// by the root command (commands). It wires the other packages
// together and holds no logic of its own beyond parsing and reporting.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"

	"runway/runbook/audit"
	"runway/runbook/session/approvals"
	"runway/ui/inert"

	"github.com/spf13/cobra"
)

// Exit statuses shared by every subcommand.
const (
	ExitOK       = 0 // all passed
	ExitStopped  = 1 // stopped by a stop rule, a failed check or a failed verification
	ExitUsage    = 2 // bad usage or an invalid runbook
	ExitAuditLog = 3 // the audit log could not be written
)

// ExitError carries an exit status with the one-line message shown to the user.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// exitf returns an ExitError with a formatted message.
func exitf(code int, format string, args ...any) error {
	return &ExitError{Code: code, Err: fmt.Errorf(format, args...)}
}

// withCode wraps err with an exit status, keeping nil as nil.
func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &ExitError{Code: code, Err: err}
}

// Globals are the flags every subcommand shares.
type Globals struct {
	Audit    string // path of the audit log
	Operator string // who is driving
	NoMouse  bool   // the consoles leave the mouse to the terminal
}

// IO is where a subcommand reads and writes.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
}

// commands lists runway's subcommands, each built on the shared flags and
// streams. Help lists them by name.
func commands(g *Globals, s IO) []*cobra.Command {
	return []*cobra.Command{
		newRun(g, s), newResume(g, s),
		newDecision(g, s, approvals.OpApprove), newDecision(g, s, approvals.OpReject),
		newWatch(g, s), newServe(g, s), newReplay(g, s), newReport(g, s),
		newSessions(g, s), newVerifyLog(g, s), newLint(g, s),
		newCopy(g, s), newVerify(g, s), newDemo(g, s),
	}
}

// Execute runs the command line and returns the process exit status.
func Execute(args []string, in io.Reader, out, errOut io.Writer) int {
	// Before any database is opened: SQLite's locking is the process's.
	audit.UseOFDLocks()
	g := &Globals{}
	s := IO{In: in, Out: out, Err: errOut}
	root := &cobra.Command{
		Use:           "runway",
		Short:         "Drive a live data migration from a runbook, with an audit log of every step",
		Version:       audit.Build(), // --version: module version and VCS revision
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&g.Audit, "audit", "runway.db", "path of the audit log")
	root.PersistentFlags().StringVar(&g.Operator, "operator", defaultOperator(), "a name for who drives, on the events (a two-person approval goes by your OS user, or your SSH key in serve)")
	root.PersistentFlags().BoolVar(&g.NoMouse, "no-mouse", false, "consoles leave the mouse to the terminal (to select text); otherwise a click selects and the wheel scrolls")
	debug := &debugLog{}
	root.PersistentFlags().StringVar(&debug.path, "debug", os.Getenv(debugEnv), "append a JSON log of internals (connections, retries, chunk sizes, timings; never secrets) to FILE (or $"+debugEnv+")")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error { return debug.open(cmd) }
	root.AddCommand(commands(g, s)...)
	root.SetArgs(args)
	root.SetIn(in)
	root.SetOut(out)
	root.SetErr(errOut)
	code := exitCode(root.Execute(), errOut)
	debug.close(code)
	return code
}

// exitCode is the exit status for the error a command returned, which it
// shows as one line.
func exitCode(err error, errOut io.Writer) int {
	if err == nil {
		return ExitOK
	}
	// An error can carry a file name, a runbook's text or a database's
	// message: it is shown as one inert line.
	fmt.Fprintln(errOut, "runway: "+inert.Line(err.Error()))
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return ExitUsage // cobra's own errors are usage errors
}

func defaultOperator() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "operator"
}
