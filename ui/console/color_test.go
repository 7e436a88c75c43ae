package console

import (
	"io"
	"regexp"
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

// colourModel is a console drawn in 256 colours.
func colourModel(t *testing.T, src Source, w, h int) Model {
	t.Helper()
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	m := New(src, Options{Renderer: r, Operator: "alice", Now: func() time.Time { return clock }})
	m = step(m, tea.WindowSizeMsg{Width: w, Height: h})
	return step(m, liveMsg{at: clock, live: src.Live()})
}

// lineWith is the first line of the view whose text holds s.
func lineWith(t *testing.T, view, s string) string {
	t.Helper()
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(ansi.Strip(l), s) {
			return l
		}
	}
	t.Fatalf("no line holds %q in:\n%s", s, ansi.Strip(view))
	return ""
}

var sgr = regexp.MustCompile(`\x1b\[([0-9;]*)m`)

// sgrBefore is the parameters of the style sequence right before glyph, or "".
func sgrBefore(line, glyph string) string {
	i := strings.Index(line, glyph)
	if i < 0 {
		return ""
	}
	ms := sgr.FindAllStringSubmatchIndex(line[:i], -1)
	if len(ms) == 0 || ms[len(ms)-1][1] != i {
		return ""
	}
	last := ms[len(ms)-1]
	return line[last[2]:last[3]]
}

// hasParam reports whether a sequence's parameters hold p.
func hasParam(params, p string) bool {
	for _, x := range strings.Split(params, ";") {
		if x == p {
			return true
		}
	}
	return false
}

// A focused failed item keeps its ✗ in red: the selection is a marker, bold
// and underline over the state's colour, not reverse video that wipes it out.
// The pane the cursor keys move in has its title highlighted.
func TestFocusKeepsStateColour(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		m := colourModel(t, stopped(), size[0], size[1])
		v := m.View()
		focused := lineWith(t, v, "Verify pilot orders")
		if !strings.Contains(ansi.Strip(focused), "›✗") {
			t.Errorf("%dx%d: focused failed item lost its marker or ✗: %q", size[0], size[1], ansi.Strip(focused))
		}
		params := sgrBefore(focused, "✗")
		if !hasParam(params, "31") && !hasParam(params, "91") {
			t.Errorf("%dx%d: the focused ✗ is not red (sequence %q): %q", size[0], size[1], params, focused)
		}
		if strings.Contains(focused, "\x1b[7m") || hasParam(params, "7") {
			t.Errorf("%dx%d: the focused row is drawn in reverse video: %q", size[0], size[1], focused)
		}
		if !hasParam(params, "4") {
			t.Errorf("%dx%d: the focused row is not underlined (sequence %q)", size[0], size[1], params)
		}
		plain := lineWith(t, v, "Copy pilot orders")
		if p := sgrBefore(plain, "✓"); hasParam(p, "4") || p == params {
			t.Errorf("%dx%d: a plain row is styled as the focused one: %q vs %q", size[0], size[1], p, params)
		}
		// The halted phase looked at keeps its red ■ too.
		if p := sgrBefore(lineWith(t, v, "■ Pilot"), "■"); !hasParam(p, "31") && !hasParam(p, "91") {
			t.Errorf("%dx%d: the halted phase's ■ is not red (%q)", size[0], size[1], p)
		}
		head := lineWith(t, v, "PHASES")
		if !hasParam(sgrBefore(head, "ITEMS"), "7") || hasParam(sgrBefore(head, "PHASES"), "7") {
			t.Errorf("%dx%d: the items pane's title is not the highlighted one: %q", size[0], size[1], head)
		}
	}
}
