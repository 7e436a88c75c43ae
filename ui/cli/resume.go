package cli

import (
	"errors"

	"github.com/spf13/cobra"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/session"
)

// newResume is `runway resume [SESSION] [--plain]`: continue a session after
// a crash, a quit or a lost connection.
func newResume(g *Globals, s IO) *cobra.Command {
	var (
		plainMode bool
		mf        metricsFlags
	)
	cmd := &cobra.Command{
		Use:   "resume [SESSION]",
		Short: "Continue a session (the latest one by default) after a crash, a quit or a lost connection",
		Long: "Continue a session from its audit log. The runbook text stored with the session is read again,\n" +
			"with ${VAR} values from the environment. Each value must be the one the session started with: it is\n" +
			"checked against a fingerprint recorded at the start, keyed by the file beside the audit log\n" +
			"(AUDIT.key); a missing or changed variable, or a key file that is not the one the session started\n" +
			"with, is refused (exit 2). An item that was running when the\n" +
			"process ended is marked interrupted and runs again; passed items do not. It refuses (exit 2) while\n" +
			"another process drives the session, and while a command started by the interrupted run still runs\n" +
			"(its process group is named), and for a session that passed (nothing to resume). The stored text\n" +
			"must hash to the SHA-256 the session recorded when it opened; a text changed in the log is refused\n" +
			"before anything runs (exit 3). Exit statuses as for run: 0 every phase passed (also \"passed with N\n" +
			"warnings\" when non-critical items failed), 1 stopped or not finished.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := ""
			if len(args) == 1 {
				id = args[0]
			}
			log, err := audit.Open(g.Audit)
			if err != nil {
				return auditFailure(g.Audit, err)
			}
			defer log.Close()
			absorbHangups() // a hang-up from here on cannot kill runway between two events
			sess, err := session.Resume(cmd.Context(), log, id, sessionOptions(g))
			if err != nil {
				return notResumed(g, s, "the session's runbook", err)
			}
			defer mf.serve(sess)()
			return drive(sess, g, s, plainMode)
		},
	}
	cmd.Flags().BoolVar(&plainMode, "plain", false, "print one line per event even on a terminal")
	mf.add(cmd, s)
	return cmd
}

// notResumed turns a failure to take up a session into the command's exit:
// the problems of its stored runbook (named as which); no such session, or
// one that may not be resumed (exit 2); a session driven elsewhere or with
// a command still running; or the audit log's failure.
func notResumed(g *Globals, s IO, which string, err error) error {
	var ps runbook.Problems
	switch {
	case errors.As(err, &ps):
		return invalidRunbook(s, which, ps)
	case errors.Is(err, audit.ErrNoSession), errors.As(err, new(*session.ResumeRefusedError)):
		return withCode(ExitUsage, err)
	case refusedResume(err):
		return drivenElsewhere(err, g.Audit)
	}
	return auditFailure(g.Audit, err)
}
