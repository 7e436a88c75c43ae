package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/spf13/cobra"

	"runway/runbook/audit"
	"runway/ui/inert"
	"runway/ui/plain"
	"runway/ui/watch"
)

// newWatch is `runway watch [SESSION] [--plain]`: follow a session that
// another process drives, read-only.
func newWatch(g *Globals, s IO) *cobra.Command {
	var plainMode bool
	cmd := &cobra.Command{
		Use:   "watch [SESSION]",
		Short: "Follow a session driven by another process, read-only (the latest running one by default)",
		Long: "Follow a session that another process drives, from a second terminal on the same host: the audit\n" +
			"log is folded as it grows and shown in the console's views, read-only, with every key that would\n" +
			"act disabled. The line under the header says whether the driver's process still runs; when it\n" +
			"closes the session or is gone, the last state stays on screen. Without a terminal (or with\n" +
			"--plain) one line is printed per event until the driver ends. Exit status: 0, or 2 when there\n" +
			"is no such log or session.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := ""
			if len(args) == 1 {
				id = args[0]
			}
			lines := plainMode || !plain.IsTerminal(s.Out)
			var opts watch.Options
			if lines {
				opts.OnEvent = func(e audit.Event) {
					if line, ok := plain.Line(e); ok {
						fmt.Fprintln(s.Out, line)
					}
				}
			}
			src, err := watch.Open(cmd.Context(), g.Audit, id, opts)
			if err != nil {
				return withCode(ExitUsage, err)
			}
			defer src.Close()
			if id == "" {
				fmt.Fprintf(s.Err, "runway: watching session %s, the latest running one in %s\n", inert.Line(src.Info().ID), inert.Line(g.Audit))
			}
			if lines {
				return watchLines(src, s)
			}
			return watchConsole(src, g, s, id == "")
		},
	}
	cmd.Flags().BoolVar(&plainMode, "plain", false, "print one line per event even on a terminal")
	return cmd
}

// watchLines prints events as they come (the Source's OnEvent does) until
// the driver ends or the watcher is interrupted, then says how it ended.
func watchLines(src *watch.Source, s IO) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		if d := src.Driver(); d.Ended() {
			src.Close() // no event is printed after the last line
			fmt.Fprintln(s.Out, inert.Line(fmt.Sprintf("session %s: %s", src.Info().ID, d)))
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// watchConsole opens the full-screen watcher and, on leaving, says how the
// driver stood.
func watchConsole(src *watch.Source, g *Globals, s IO, latest bool) error {
	path := g.Audit
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	r := lipgloss.NewRenderer(s.Out)
	m := watch.New(src, watch.ModelOptions{
		Renderer: r, AuditPath: path, Latest: latest,
		Approve: "approve with: " + approveCommand(src.Info().ID, path),
		Signals: s.Out, // the bell and the title on a stop, as the lead's console
	})
	opts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithFPS(consoleFPS), tea.WithOutput(s.Out)}
	if s.In != nil {
		opts = append(opts, tea.WithInput(s.In))
	}
	opts = append(opts, mouse(g)...)
	final, err := tea.NewProgram(m, opts...).Run()
	if fm, ok := final.(watch.Model); ok {
		fm.Release()
	}
	if err != nil {
		return exitf(ExitUsage, "watch: %w", err)
	}
	fmt.Fprintln(s.Err, "runway: "+inert.Line(fmt.Sprintf("stopped watching session %s: %s", src.Info().ID, src.Driver())))
	return nil
}
