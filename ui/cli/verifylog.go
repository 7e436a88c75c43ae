package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"runway/runbook/audit"
)

func init() { register(newVerifyLog) }

// newVerifyLog is `runway verify-log [PATH]`: recompute the audit log's hash
// chain. Exit 0 when intact, printing the last event's hash to note
// elsewhere (a cut tail is only detectable against it), 1 naming the first
// bad row, 2 when the file is missing or not a runway audit log.
func newVerifyLog(g *Globals, s IO) *cobra.Command {
	return &cobra.Command{
		Use:   "verify-log [PATH]",
		Short: "Check the audit log's hash chain",
		Long: "Recompute every event's hash and its link to the previous one, check the sequence has\n" +
			"no gaps, that each session's runbook text matches the hash it opened with, and that\n" +
			"each sessions row agrees with its events (operator, host, started, status, ended).\n" +
			"Events cut from the end leave a shorter chain that is still intact, which nothing in\n" +
			"the file can show: note the last hash printed and compare it later.\n" +
			"PATH defaults to --audit. Exit status: 0 intact, 1 tampered or damaged (the first bad\n" +
			"row is named), 2 missing or not a runway audit log.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			path := g.Audit
			if len(args) == 1 {
				path = args[0]
			}
			return verifyLog(s, path)
		},
	}
}

func verifyLog(s IO, path string) error {
	rep, err := audit.Verify(path)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	if !rep.OK {
		return exitf(ExitStopped, "%s: %s", path, rep.Reason)
	}
	last := ""
	if rep.LastHash != "" { // the anchor to keep elsewhere: a cut tail shows only against it
		last = ", last hash " + rep.LastHash
	}
	fmt.Fprintf(s.Out, "%s: %s in %s, hash chain intact%s\n", path,
		verifyCount(rep.Events, "event"), verifyCount(int64(rep.Sessions), "session"), last)
	return nil
}

func verifyCount(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
