package style

import (
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

func renderer(p termenv.Profile) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(p)
	return r
}

// bar draws a progress bar of width w at fraction f.
func bar(s Styles, w int, f float64) string {
	p := s.Progress()
	p.Width = w
	return p.ViewAs(f)
}

// TestNoColor: with the ASCII profile (NO_COLOR) no style adds an escape
// sequence, the progress bar and text fields included; with 16 colours they do.
func TestNoColor(t *testing.T) {
	plain := New(renderer(termenv.Ascii))
	if plain.Color {
		t.Error("ASCII profile reports colour")
	}
	in := plain.TextInput()
	in.Focus()
	in.SetValue("hello")
	area := plain.TextArea()
	area.Focus()
	area.SetValue("two\nlines")
	for _, out := range []string{bar(plain, 20, 0.5), plain.Fail.Render("failed"), plain.Banner.Render("STOPPED"),
		plain.Help.ShortKey.Render("q"), in.View(), area.View()} {
		if strings.Contains(out, "\x1b") {
			t.Errorf("escape sequence without colour: %q", out)
		}
	}
	if got := bar(plain, 10, 0.5); got != "█████░░░░░" {
		t.Errorf("bar = %q", got)
	}
	ansi := New(renderer(termenv.ANSI))
	if !ansi.Color || !strings.Contains(bar(ansi, 10, 0.5), "\x1b[34m") {
		t.Errorf("no colour with 16 colours: %q", bar(ansi, 10, 0.5))
	}
	in = ansi.TextInput()
	in.Focus()
	if !strings.Contains(in.View(), "\x1b[7m") {
		t.Errorf("cursor not drawn reversed with 16 colours: %q", in.View())
	}
}

// TestPlainCursor: without colour the cursor is a glyph of one cell, at
// the end of the text and inside it.
func TestPlainCursor(t *testing.T) {
	s := New(renderer(termenv.Ascii))
	in := s.TextInput()
	in.Focus()
	in.SetValue("abc")
	if got := in.View(); got != "> abc█" {
		t.Errorf("cursor at the end: %q", got)
	}
	in.SetCursor(1)
	got := in.View()
	if got != "> ab\u0332c" || ansi.StringWidth(got) != 5 {
		t.Errorf("cursor inside the text: %q (width %d)", got, ansi.StringWidth(got))
	}
	area := s.TextArea()
	area.SetWidth(20)
	area.SetHeight(2)
	area.Focus()
	area.SetValue("one\ntwo")
	lines := strings.Split(area.View(), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[1], "┃ two█") {
		t.Errorf("text area:\n%s", area.View())
	}
}

// TestTitledRule is exactly the width asked for, with the text cut to fit.
func TestTitledRule(t *testing.T) {
	s := New(renderer(termenv.Ascii))
	cases := []struct {
		text string
		w    int
		want string
	}{
		{"ok", 10, "── ok ────"},
		{"a long title", 12, "── a long… ─"},
		{"x", 4, "────"},
	}
	for _, c := range cases {
		if got := s.TitledRule(s.OK, c.text, c.w); got != c.want {
			t.Errorf("TitledRule(%q, %d) = %q, want %q", c.text, c.w, got, c.want)
		}
	}
}
