package console

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

func TestFormat(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{percent(0.99988), "99.988%"},
		{percent(0.5), "50.0%"},
		{percent(0.999996), "99.999%"}, // truncated, never rounded up to 100%
		{percent(0.99999999), "99.999%"},
		{percent(1), "100.0%"},
		{fit("abcdef", 4), "abc…"},
		{fit("ab", 4), "ab  "},
		{cut("abcdef", 4), "abc…"},
		{right("a", "b", 5), "a   b"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// + and - step through round rates about a quarter apart (1, 1.5, 2, 2.5,
// 3, 4, 5, 6, 8 per power of ten): 5,000 goes to 6,000, never 6,300, and a
// rate off the ladder goes to the next round one.
func TestNextRate(t *testing.T) {
	for _, tt := range []struct{ cur, dir, want int }{
		{5000, +1, 6000},
		{6000, +1, 8000},
		{8000, +1, 10000},
		{10000, +1, 15000},
		{20000, +1, 25000},
		{6300, +1, 8000},
		{5000, -1, 4000},
		{20000, -1, 15000},
		{19850, -1, 15000},
		{15000, -1, 10000},
		{1, -1, 1},
		{1, +1, 2},
		{3, +1, 4},
		{0, +1, 0},
		{maxRate, +1, maxRate},
	} {
		if got := nextRate(tt.cur, tt.dir); got != tt.want {
			t.Errorf("nextRate(%d, %d) = %d, want %d", tt.cur, tt.dir, got, tt.want)
		}
	}
}

// TestLineField: a one-line field edits by character and word, turns a
// pasted line break into a space and stops at its limit.
func TestLineField(t *testing.T) {
	m := newModel(t, opened(), 80, 24)
	in := m.lineField(20, "")
	typ := func(s string) { in = in.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}) }
	key := func(k tea.KeyType) { in = in.update(tea.KeyMsg{Type: k}) }
	typ("hello world")
	key(tea.KeyCtrlW)
	if in.value() != "hello" {
		t.Fatalf("ctrl+w: %q", in.value())
	}
	key(tea.KeyHome)
	typ("say ")
	key(tea.KeyEnd)
	key(tea.KeyBackspace)
	if in.value() != "say hello" { // ctrl+w left "hello ", backspace took the space
		t.Fatalf("home, type, end, backspace: %q", in.value())
	}
	typ("\nthere, and much more than fits")
	if in.value() != "say hello there, and" || len(in.line.Value()) != 20 {
		t.Fatalf("paste with a line break over the limit: %q", in.line.Value())
	}
	key(tea.KeyCtrlU)
	if in.value() != "" {
		t.Fatalf("ctrl+u at the end: %q", in.value())
	}
	if in = m.lineField(10, "20000"); in.value() != "20000" {
		t.Fatalf("filled field: %q", in.value())
	}
}

// TestAreaField: the observation field takes several lines, from ctrl+j,
// alt+enter or a paste, and enter is left to the dialog.
func TestAreaField(t *testing.T) {
	m := newModel(t, opened(), 80, 24)
	in := m.areaField(100)
	in = in.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("one")})
	in = in.update(tea.KeyMsg{Type: tea.KeyCtrlJ})
	in = in.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("two")})
	in = in.update(tea.KeyMsg{Type: tea.KeyEnter, Alt: true})
	in = in.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("three\nfour"), Paste: true})
	if got := in.value(); got != "one\ntwo\nthree\nfour" {
		t.Fatalf("value = %q", got)
	}
	if v := in.view(); strings.Count(v, "\n") != 2 || !strings.Contains(v, "four█") {
		t.Errorf("three rows at 80×24, the cursor after the last line:\n%s", v)
	}
}

func TestParseRate(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"20000", 20000, true},
		{"20,000", 20000, true},
		{" 20_000 rows/s", 20000, true},
		{"20k", 20000, true},
		{"1.5K/s", 1500, true},
		{"2m", 2000000, true},
		{"0", 0, true},
		{"", 0, false},
		{"-5", 0, false},
		{"fast", 0, false},
		{"1e3", 0, false},
		{"inf", 0, false},
		{"0.2", 0, false},
		{"5000m", 0, false},
	} {
		got, why := parseRate(tt.in)
		if (why == "") != tt.ok || got != tt.want {
			t.Errorf("parseRate(%q) = %d, %q", tt.in, got, why)
		}
	}
}

// TestTableInfo: a table shows its rows; a long check its share of time only.
func TestTableInfo(t *testing.T) {
	for _, tt := range []struct {
		t    tableView
		want string
	}{
		{tableView{engine: "copy", table: "orders", done: 120000, total: 250000, rate: 19850, eta: 54 * time.Second}, " 48% 120,000/250,000 · 19,850/s · ETA 54s"},
		{tableView{engine: "copy", table: "orders", done: 500}, "500 rows"},
		{tableView{engine: "wait", done: 400, total: 1000, eta: 3 * time.Minute}, " 40% · ETA 3m00s"},
	} {
		if got := tt.t.info(false); got != tt.want {
			t.Errorf("info = %q, want %q", got, tt.want)
		}
	}
}

// TestWrapNeverOverflows: a long word after a leading space is cut to the
// width too (ansi.Wrap left it one cell wider; found by FuzzConsoleView).
func TestWrapNeverOverflows(t *testing.T) {
	s := " " + strings.Repeat("0", 53) + `\x1b0\x1b0000000\x1b` + strings.Repeat("0", 74)
	for _, l := range wrap(s, 72) {
		if n := ansi.StringWidth(l); n > 72 {
			t.Errorf("line %q is %d wide, want at most 72", l, n)
		}
	}
}
