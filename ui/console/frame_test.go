package console

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// withOptions is newModel with options of the test's own on top.
func withOptions(t testing.TB, src Source, w, h int, set func(*Options)) Model {
	t.Helper()
	o := Options{
		Renderer: asciiRenderer(), Operator: "alice", AuditPath: "/srv/runway/orders.db",
		Now: func() time.Time { return clock },
	}
	set(&o)
	m := New(src, o)
	m = step(m, tea.WindowSizeMsg{Width: w, Height: h})
	return step(m, liveMsg{at: clock, live: src.Live()})
}

// TestModeInHeader: the header says how the console is attached, from
// Options.Mode, instead of the default watching words.
func TestModeInHeader(t *testing.T) {
	f := opened()
	m := withOptions(t, watcher{f}, 80, 24, func(o *Options) { o.Mode = "replay" })
	head := strings.Split(m.View(), "\n")[0]
	if !strings.Contains(head, "(replay)") || strings.Contains(head, "watching") {
		t.Errorf("header with Mode replay = %q", head)
	}
	m = newModel(t, watcher{f}, 80, 24)
	if head := strings.Split(m.View(), "\n")[0]; !strings.Contains(head, "(watching, read-only)") {
		t.Errorf("observer's default header = %q", head)
	}
	m = newModel(t, f, 80, 24)
	if head := strings.Split(m.View(), "\n")[0]; strings.Contains(head, "(") {
		t.Errorf("the lead's header names a mode: %q", head)
	}
}

// TestFrame: a wrapper's rule, status, notice, body and footer land in the
// console's rows, whatever the console's own words there would be.
func TestFrame(t *testing.T) {
	f := opened()
	m := newModel(t, watcher{f}, 80, 24)
	plain := strings.Split(m.View(), "\n")
	lines := strings.Split(m.ViewWith(Frame{Rule: "── driver ──", Status: "wrapper status", Footer: "my keys"}), "\n")
	if len(lines) != 24 {
		t.Fatalf("%d lines, want 24", len(lines))
	}
	if lines[2] != "── driver ──" || lines[22] != "wrapper status" || lines[23] != "my keys" {
		t.Errorf("rule %q, status %q, footer %q", lines[2], lines[22], lines[23])
	}
	for i := 3; i < 22; i++ {
		if lines[i] != plain[i] {
			t.Errorf("body row %d changed: %q, was %q", i, lines[i], plain[i])
		}
	}
	// The console's own outcome beats a standing status, a notice beats both.
	m, _ = press(t, m, "r")
	if got := strings.Split(m.ViewWith(Frame{Status: "wrapper status"}), "\n")[22]; !strings.Contains(got, "read-only") {
		t.Errorf("a standing status hid the outcome of a key: %q", got)
	}
	if got := strings.Split(m.ViewWith(Frame{Status: "s", Notice: "newer"}), "\n")[22]; got != "newer" {
		t.Errorf("notice row = %q", got)
	}
	// A body takes every row between the rule and the status row.
	rows := m.BodyRows()
	if rows != 24-5 {
		t.Fatalf("BodyRows = %d, want 19", rows)
	}
	body := make([]string, rows+3)
	for i := range body {
		body[i] = "b"
	}
	lines = strings.Split(m.ViewWith(Frame{Body: body}), "\n")
	if len(lines) != 24 || lines[3] != "b" || lines[21] != "b" || lines[22] == "b" {
		t.Errorf("body not fitted between rule and status:\n%s", strings.Join(lines, "\n"))
	}
	// Below the minimum size the compact view is drawn, without the frame.
	small := step(m, tea.WindowSizeMsg{Width: 60, Height: 20})
	if v := small.ViewWith(Frame{Notice: "newer"}); strings.Contains(v, "newer") || !strings.Contains(v, "state:") {
		t.Errorf("small screen with a frame:\n%s", v)
	}
}
