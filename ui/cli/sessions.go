package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"runway/runbook/audit"
	"runway/ui/report"
)

// newSessions is `runway sessions`: the sessions in the audit log, newest first.
func newSessions(g *Globals, s IO) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "sessions",
		Short: "List the sessions in the audit log: id, runbook, operator, start, end, status, events",
		Long: "List the sessions in the audit log, newest first, as an aligned table (or JSON with --json).\n" +
			"A session id from the list goes to report, resume, watch and replay. The log is only read.\n" +
			"Exit status: 0 listed, 2 no such log.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := interruptible(cmd.Context())
			defer stop()
			l, err := audit.OpenReadOnly(g.Audit)
			if err != nil {
				return withCode(ExitUsage, err)
			}
			defer l.Close()
			rows, err := report.ListSessions(ctx, l)
			if err != nil {
				return interrupted(ctx, "sessions in "+g.Audit, withCode(ExitUsage, err))
			}
			if asJSON {
				enc := json.NewEncoder(s.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(rows)
			}
			if len(rows) == 0 {
				fmt.Fprintf(s.Out, "%s holds no sessions\n", g.Audit)
				return nil
			}
			return report.WriteSessions(s.Out, rows)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the list as JSON")
	return cmd
}
