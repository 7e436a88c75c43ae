package cli

import (
	"context"
	"fmt"
	"path/filepath"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"runway/runbook/fold"
	"runway/runbook/session"
	"runway/ui/console"
	"runway/ui/inert"
)

// consoleFPS caps redraws: progress moves at most this often, and a slow
// terminal (tmux, SSH) is never asked for more.
const consoleFPS = 20

// mouse turns the mouse on in a console (a click selects, the wheel
// scrolls) unless --no-mouse leaves it to the terminal.
func mouse(g *Globals) []tea.ProgramOption {
	if g.NoMouse {
		return nil
	}
	return []tea.ProgramOption{tea.WithMouseCellMotion()}
}

// runConsole opens the full-screen console on a session and returns the exit
// status from how the session stands when the lead leaves: 0 every phase
// passed, 3 the audit log failed, 1 otherwise (stopped, or work left to do).
func runConsole(ctx context.Context, sess *session.Session, g *Globals, s IO) int {
	audit := g.Audit
	if abs, err := filepath.Abs(audit); err == nil {
		audit = abs
	}
	// One renderer for this terminal: its colour profile follows the
	// terminal and NO_COLOR.
	r := lipgloss.NewRenderer(s.Out)
	m := console.New(sess, console.Options{
		Renderer: r, Operator: g.Operator, AuditPath: audit,
		ApproveElsewhere: approveHint(sess.ID(), audit),
		Signals:          s.Out, // the terminal: its bell and title on a stop
	})
	opts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithFPS(consoleFPS), tea.WithOutput(s.Out), tea.WithContext(ctx)}
	if s.In != nil {
		opts = append(opts, tea.WithInput(s.In))
	}
	opts = append(opts, mouse(g)...)
	final, err := tea.NewProgram(m, opts...).Run()
	if fm, ok := final.(console.Model); ok {
		fm.Release()
	}
	if err != nil && ctx.Err() == nil { // a signal or a hang-up ended it: nothing to report
		fmt.Fprintln(s.Err, "runway: console: "+inert.Line(sess.Redact(err.Error())))
	}
	return consoleExit(sess.Err(), sess.State())
}

// consoleExit is the exit status for a session's outcome.
func consoleExit(auditErr error, st fold.State) int {
	switch {
	case auditErr != nil:
		return ExitAuditLog
	case st.AllPassed():
		return ExitOK
	}
	return ExitStopped
}
