package serve

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/muesli/termenv"

	"runway/ui/console"
)

// The program of one connection. This is what wish's bubbletea middleware
// does, written here because that package needs a module (x/input) the
// build does not carry; it also skips the middleware's background-colour
// query, which waits up to a second and can swallow the first key typed.

// runProgram runs a participant's console on an SSH session until they
// leave, the connection drops or the server stops: its own renderer from the
// client's terminal type and environment, its own size, window changes
// forwarded as they come.
func (s *Server) runProgram(sess ssh.Session, c *conn, pty ssh.Pty, winch <-chan ssh.Window) {
	m := newModel(s.sess, c.who, s.room, console.Options{
		Renderer:  newRenderer(sess, pty),
		AuditPath: s.opts.AuditPath,
		Signals:   c.out, // the participant's terminal: its bell and title on a stop
	})
	defer m.release()
	ctx := sess.Context()
	opts := []tea.ProgramOption{
		tea.WithInput(sess), tea.WithOutput(c.out), tea.WithContext(ctx),
		tea.WithAltScreen(), tea.WithFPS(s.opts.FPS),
		// The server's signals are the server's: ctrl+c in one connection
		// reaches that program as a key, never the others.
		tea.WithoutSignalHandler(),
	}
	if !s.opts.NoMouse {
		opts = append(opts, tea.WithMouseCellMotion())
	}
	prog := tea.NewProgram(m, opts...)
	c.setProgram(prog)
	if s.stopping.Load() { // stopped while this one was being built
		return
	}
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case w, ok := <-winch:
				if !ok {
					return
				}
				// Blocks only this connection's goroutine when its program is
				// stalled; the channel keeps only what the client sends.
				prog.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
			}
		}
	}()
	_, _ = prog.Run()
}

// newRenderer is a lipgloss renderer for the client's terminal: its TERM
// from the pty request and the variables it sent (NO_COLOR, COLORTERM), so
// each participant gets the colours their own terminal can show.
func newRenderer(sess ssh.Session, pty ssh.Pty) *lipgloss.Renderer {
	if pty.Term == "" || pty.Term == "dumb" {
		return lipgloss.NewRenderer(sess, termenv.WithProfile(termenv.Ascii))
	}
	env := sshEnviron(append(sess.Environ(), "TERM="+pty.Term))
	return lipgloss.NewRenderer(sess, termenv.WithEnvironment(env), termenv.WithUnsafe(), termenv.WithColorCache(true))
}

// sshEnviron is the client's environment as termenv reads it.
type sshEnviron []string

func (e sshEnviron) Environ() []string { return e }

func (e sshEnviron) Getenv(k string) string {
	for i := len(e) - 1; i >= 0; i-- { // the last value set wins
		if v, ok := strings.CutPrefix(e[i], k+"="); ok {
			return v
		}
	}
	return ""
}
