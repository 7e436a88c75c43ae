package console

import (
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// TestNoColor: without colour the screen holds no escape sequence at all,
// progress bars included; with 16 colours it holds the same text, so no state
// is told by colour alone.
func TestNoColor(t *testing.T) {
	for name, core := range map[string]func() *fakeCore{"copying": copying, "stopped": stopped, "opened": opened} {
		t.Run(name, func(t *testing.T) {
			f := core()
			plain := newModel(t, f, 100, 30).View()
			if strings.Contains(plain, "\x1b") {
				t.Fatalf("escape sequence without colour: %q", plain)
			}
			r := lipgloss.NewRenderer(io.Discard)
			r.SetColorProfile(termenv.ANSI) // TERM=xterm
			m := New(f, Options{Renderer: r, Operator: "alice", AuditPath: "/srv/runway/orders.db", Now: func() time.Time { return clock }})
			m = step(m, tea.WindowSizeMsg{Width: 100, Height: 30})
			m = step(m, liveMsg{at: clock, live: f.Live()})
			colored := m.View()
			if !strings.Contains(colored, "\x1b[") {
				t.Fatal("no colour on a 16-colour terminal")
			}
			if got := ansi.Strip(colored); got != plain {
				t.Errorf("text differs with colour:\n%s\n---\n%s", got, plain)
			}
		})
	}
}
