package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"runway/runbook"
	"runway/ui/inert"
)

func init() { register(newLint) }

// newLint is `runway lint FILE…`: validate runbooks, print a summary of each
// valid one and every problem of the others; exit 2 when any is invalid.
func newLint(_ *Globals, s IO) *cobra.Command {
	return &cobra.Command{
		Use:   "lint FILE...",
		Short: "Validate runbooks; problems as file:line:col: message",
		Long: "Validate runbooks. A valid runbook gets a one-line summary and its risk register;\n" +
			"an invalid one gets every problem as file:line:col: message, and the exit status is 2.\n" +
			"${VAR} references are taken from the environment; their values are never shown.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, files []string) error {
			return lintFiles(s, files)
		},
	}
}

// lintFiles lints each file in turn, so one bad runbook does not hide the others.
func lintFiles(s IO, files []string) error {
	invalid, problems := 0, 0
	for _, file := range files {
		rb, err := runbook.Load(file)
		var ps runbook.Problems
		switch {
		case errors.As(err, &ps):
			for _, p := range ps {
				fmt.Fprintln(s.Out, inert.Line(p.String()))
			}
			invalid, problems = invalid+1, problems+len(ps)
		case err != nil:
			fmt.Fprintln(s.Out, inert.Line(err.Error()))
			invalid, problems = invalid+1, problems+1
		default:
			sum := rb.Summary()
			fmt.Fprintln(s.Out, inert.Line(fmt.Sprintf("%s: ok — %s", file, sum)))
			for _, line := range sum.RiskLines() {
				fmt.Fprintln(s.Out, "  "+inert.Line(line))
			}
		}
	}
	if invalid > 0 {
		return exitf(ExitUsage, "lint: %s in %d of %d %s",
			lintCount(problems, "problem"), invalid, len(files), lintNoun(len(files), "runbook"))
	}
	return nil
}

func lintCount(n int, noun string) string { return fmt.Sprintf("%d %s", n, lintNoun(n, noun)) }

func lintNoun(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}
