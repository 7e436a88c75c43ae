package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"runway/ui/inert"
	"runway/ui/report"
)

// newReport is `runway report [SESSION] --format md|json|html [-o FILE]`:
// the postmortem of a session, the latest one by default.
func newReport(g *Globals, s IO) *cobra.Command {
	var format, output string
	cmd := &cobra.Command{
		Use:   "report [SESSION]",
		Short: "Write the postmortem of a session (the latest by default) as Markdown, JSON or HTML",
		Long: "Write the postmortem of a session from the audit log: the hash-chain result, the runbook,\n" +
			"who took part, every phase's expected against actual duration, every failure with its output,\n" +
			"every override with reason and approver, every sign-off with who, role and observation,\n" +
			"rollback points and rollbacks, engine figures, and a timeline of every event.\n" +
			"The HTML is one self-contained file. The log is only read. Exit status: 0 written,\n" +
			"1 written but the log's hash chain does not verify, 2 bad usage, no such log or session.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format = strings.ToLower(strings.TrimSpace(format))
			if !validFormat(format) {
				return exitf(ExitUsage, "unknown report format %q: use %s", format, strings.Join(report.Formats, ", "))
			}
			id := ""
			if len(args) == 1 {
				id = args[0]
			}
			ctx, stop := interruptible(cmd.Context())
			defer stop()
			r, err := report.Build(ctx, g.Audit, id)
			if err != nil {
				return interrupted(ctx, "report on "+g.Audit, withCode(ExitUsage, err))
			}
			var buf bytes.Buffer
			if err := r.Write(&buf, format); err != nil {
				return withCode(ExitUsage, err)
			}
			if output == "" || output == "-" {
				if _, err := s.Out.Write(buf.Bytes()); err != nil {
					return exitf(ExitUsage, "write report: %w", err)
				}
			} else {
				if err := writeFileAtomic(output, buf.Bytes()); err != nil {
					return withCode(ExitUsage, err)
				}
				fmt.Fprintln(s.Out, inert.Line(fmt.Sprintf("report on session %s written to %s (%s)", r.Session.ID, output, r.Chain.Summary)))
			}
			if !r.Chain.OK {
				return exitf(ExitStopped, "report on session %s written, but %s: %s", r.Session.ID, g.Audit, r.Chain.Summary)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "md", "md, json or html")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to FILE instead of stdout")
	return cmd
}

func validFormat(f string) bool {
	for _, v := range report.Formats {
		if f == v {
			return true
		}
	}
	return false
}

// writeFileAtomic writes data beside path and renames it into place, so a
// failed write never leaves half a report.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	return nil
}
