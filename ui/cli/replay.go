package cli

import (
	"fmt"
	"github.com/dustin/go-humanize"
	"path/filepath"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/spf13/cobra"

	"runway/runbook/audit"
	"runway/ui/inert"
	"runway/ui/plain"
	"runway/ui/replay"
	"runway/ui/watch"
)

// newReplay is `runway replay [SESSION]`: an old session as a timeline.
func newReplay(g *Globals, s IO) *cobra.Command {
	var plainMode bool
	cmd := &cobra.Command{
		Use:   "replay [SESSION]",
		Short: "Play a session (the latest by default) back as a timeline on the console's views",
		Long: "Play a session back from the audit log on the console's views, read-only: play and pause (space),\n" +
			"speed 1× to 64× (+ -) with idle gaps shortened to a second, one event at a time (← →), jumps to\n" +
			"the previous or next failure, override, rollback or note ([ ] and m), seek by percent, event,\n" +
			"time or offset (t, 0-9, g, G), and the runbook text stored with the session (v). The log's hash\n" +
			"chain is checked first and the result stays on screen. Without a terminal (or with --plain) the\n" +
			"result and one line per event are printed. Exit status: 0, 1 when the hash chain does not\n" +
			"verify, 2 when there is no such log or session.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id := ""
			if len(args) == 1 {
				id = args[0]
			}
			l, err := audit.OpenReadOnly(g.Audit)
			if err != nil {
				return withCode(ExitUsage, err)
			}
			defer l.Close()
			info, latest, err := watch.Pick(ctx, l, id, false)
			if err != nil {
				return withCode(ExitUsage, err)
			}
			rb, err := watch.StoredRunbook(info)
			if err != nil {
				return withCode(ExitUsage, err)
			}
			lines := plainMode || !plain.IsTerminal(s.Out)
			if latest {
				fmt.Fprintf(s.Err, "runway: replaying session %s, the latest in %s\n", inert.Line(info.ID), inert.Line(g.Audit))
			}
			if !lines {
				fmt.Fprintf(s.Err, "runway: checking the hash chain and reading session %s…\n", inert.Line(info.ID))
			}
			// The chain is checked while the events are read: both are done
			// before the replay opens, and a long log takes half the wait.
			var chain audit.Report
			var chainErr error
			checked := make(chan struct{})
			go func() {
				defer close(checked)
				chain, chainErr = l.Verify(ctx)
			}()
			tl, err := replay.Load(ctx, l, info, rb)
			<-checked
			if err != nil {
				return withCode(ExitUsage, err)
			}
			if lines {
				replayLines(tl, chain, chainErr, s)
			} else if err := replayConsole(tl, chain, chainErr, g, s); err != nil {
				return err
			}
			switch {
			case chainErr != nil:
				return exitf(ExitStopped, "session %s replayed, but the hash chain of %s could not be checked: %w", info.ID, g.Audit, chainErr)
			case !chain.OK:
				return exitf(ExitStopped, "session %s replayed, but %s is TAMPERED: %s", info.ID, g.Audit, chain.Reason)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&plainMode, "plain", false, "print the chain result and one line per event even on a terminal")
	return cmd
}

// replayLines prints the hash-chain result, then the session one line per event.
func replayLines(tl *replay.Timeline, chain audit.Report, chainErr error, s IO) {
	switch {
	case chainErr != nil:
		fmt.Fprintf(s.Out, "hash chain not checked: %s\n", inert.Line(chainErr.Error()))
	case !chain.OK:
		fmt.Fprintf(s.Out, "TAMPERED: %s\n", inert.Line(chain.Reason))
	default:
		fmt.Fprintf(s.Out, "hash chain intact: %s events\n", humanize.Comma(chain.Events))
	}
	for i := range tl.Len() {
		if line, ok := plain.Line(tl.Event(i)); ok {
			fmt.Fprintln(s.Out, line)
		}
	}
}

// replayConsole opens the full-screen replay.
func replayConsole(tl *replay.Timeline, chain audit.Report, chainErr error, g *Globals, s IO) error {
	path := g.Audit
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	r := lipgloss.NewRenderer(s.Out)
	m := replay.New(tl, replay.Options{Renderer: r, AuditPath: path, Chain: chain, ChainErr: chainErr})
	opts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithFPS(consoleFPS), tea.WithOutput(s.Out)}
	if s.In != nil {
		opts = append(opts, tea.WithInput(s.In))
	}
	opts = append(opts, mouse(g)...)
	final, err := tea.NewProgram(m, opts...).Run()
	if fm, ok := final.(replay.Model); ok {
		fm.Release()
	}
	if err != nil {
		return exitf(ExitUsage, "replay: %w", err)
	}
	return nil
}
