package style

import (
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

func renderer(p termenv.Profile) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(p)
	return r
}

// TestNoColor: with the ASCII profile (NO_COLOR) no style adds an escape
// sequence, the progress bar included; with 16 colours they do.
func TestNoColor(t *testing.T) {
	plain := New(renderer(termenv.Ascii))
	if plain.Color {
		t.Error("ASCII profile reports colour")
	}
	for _, out := range []string{plain.Bar(20, 0.5), plain.Fail.Render("failed"), plain.Banner.Render("STOPPED"), plain.Help.ShortKey.Render("q")} {
		if strings.Contains(out, "\x1b") {
			t.Errorf("escape sequence without colour: %q", out)
		}
	}
	if got := plain.Bar(10, 0.5); got != "█████░░░░░" {
		t.Errorf("bar = %q", got)
	}
	ansi := New(renderer(termenv.ANSI))
	if !ansi.Color || !strings.Contains(ansi.Bar(10, 0.5), "\x1b[") {
		t.Error("no colour with 16 colours")
	}
}

func TestBar(t *testing.T) {
	s := New(renderer(termenv.Ascii))
	for _, tt := range []struct {
		w    int
		f    float64
		want string
	}{
		{4, 0, "░░░░"},
		{4, 1, "████"},
		{4, 0.99, "███░"}, // never full before it is done
		{4, -1, "░░░░"},
		{4, 7, "████"},
		{0, 0.5, ""},
	} {
		if got := s.Bar(tt.w, tt.f); got != tt.want {
			t.Errorf("Bar(%d, %v) = %q, want %q", tt.w, tt.f, got, tt.want)
		}
	}
}
