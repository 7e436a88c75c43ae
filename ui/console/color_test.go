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
	for name, sc := range map[string]struct {
		core func() *fakeCore
		keys []string
	}{
		"copying": {copying, nil}, "stopped": {stopped, nil}, "opened": {opened, nil},
		"help": {stopped, []string{"?"}}, "notes": {noted, nil}, "notes list": {noted, []string{"N"}},
	} {
		t.Run(name, func(t *testing.T) {
			f := sc.core()
			pm, _ := press(t, newModel(t, f, 100, 30), sc.keys...)
			plain := pm.View()
			if strings.Contains(plain, "\x1b") {
				t.Fatalf("escape sequence without colour: %q", plain)
			}
			r := lipgloss.NewRenderer(io.Discard)
			r.SetColorProfile(termenv.ANSI) // TERM=xterm
			m := New(f, Options{Renderer: r, Operator: "alice", AuditPath: "/srv/runway/orders.db", Now: func() time.Time { return clock }})
			m = step(m, tea.WindowSizeMsg{Width: 100, Height: 30})
			m = step(m, liveMsg{at: clock, live: f.Live()})
			m, _ = press(t, m, sc.keys...)
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

// TestNoColorFields: text fields draw their cursor as a glyph without colour,
// and reversed with colour, with no escape sequence in the first case.
func TestNoColorFields(t *testing.T) {
	for _, keys := range [][]string{
		{"s", "restored", "ctrl+j", "all rows", "left"}, // the sign-off's text area, cursor inside the text
		{"n", "DBA on call"},                            // a one-line field, cursor at the end
	} {
		m, _ := press(t, newModel(t, awaiting(), 80, 24), keys...)
		v := m.View()
		if strings.Contains(v, "\x1b") {
			t.Errorf("%v: escape sequence without colour: %q", keys, v)
		}
		if !strings.Contains(v, "█") && !strings.Contains(v, "\u0332") {
			t.Errorf("%v: no cursor without colour:\n%s", keys, v)
		}
		checkSize(t, v, 80, 24)

		r := lipgloss.NewRenderer(io.Discard)
		r.SetColorProfile(termenv.ANSI)
		c := New(awaiting(), Options{Renderer: r, Operator: "alice", Now: func() time.Time { return clock }})
		c = step(c, tea.WindowSizeMsg{Width: 80, Height: 24})
		c, _ = press(t, c, keys...)
		if v := c.View(); !strings.Contains(v, "\x1b[7m") {
			t.Errorf("%v: no reversed cursor with colour", keys)
		}
	}
}
