package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"runway/runbook"
	"runway/runbook/text"
	"runway/ui/inert"
)

// newLint is `runway lint FILE…`: validate runbooks, print a summary of each
// valid one and every problem of the others; exit 2 when any is invalid.
func newLint(_ *Globals, s IO) *cobra.Command {
	var withEnv bool
	cmd := &cobra.Command{
		Use:   "lint FILE...",
		Short: "Validate runbooks; problems as file:line:col: message",
		Long: "Validate runbooks. A valid runbook gets a one-line summary and its risk register;\n" +
			"an invalid one gets every problem as file:line:col: message, and the exit status is 2.\n" +
			"lint checks a runbook's structure without its secrets: a ${VAR} that is not set is listed\n" +
			"as a note (exit 0), so CI can lint runbooks without LEGACY_DSN, TARGET_DSN and the like.\n" +
			"With --env the variables are checked as a run checks them: one that is not set is an error.\n" +
			"A command's $NAME in capitals that the command does not set and the shell does not provide\n" +
			"(HOME, PATH, USER…) is noted too: written ${NAME}, runway records its fingerprint and masks it.\n" +
			"Values are taken from the environment and never shown.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, files []string) error {
			return lintFiles(s, files, withEnv)
		},
	}
	cmd.Flags().BoolVar(&withEnv, "env", false, "check ${VAR} references as a run does: an unset variable is an error")
	return cmd
}

// lintLoad reads a runbook for lint: its structure only (unset variables as
// notes), or with withEnv as a run reads it.
func lintLoad(file string, withEnv bool) (*runbook.Runbook, runbook.Problems, error) {
	if withEnv {
		return runbook.LoadWithNotes(file)
	}
	return runbook.LoadStructure(file)
}

// lintFiles lints each file in turn, so one bad runbook does not hide the others.
func lintFiles(s IO, files []string, withEnv bool) error {
	invalid, problems := 0, 0
	for _, file := range files {
		rb, notes, err := lintLoad(file, withEnv)
		for _, n := range notes {
			fmt.Fprintln(s.Out, inert.Line(n.String()))
		}
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
			text.Counts(problems, "problem"), invalid, len(files), text.Noun(len(files), "runbook", "runbooks"))
	}
	return nil
}
