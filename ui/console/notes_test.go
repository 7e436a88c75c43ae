package console

import (
	"strings"
	"testing"
)

// TestNotes: the notes list shows every note with its author and time, newest
// first; the newest stays in sight under the detail pane; a watcher can read
// them but not add one.
func TestNotes(t *testing.T) {
	m := newModel(t, noted(), 80, 24)
	v := m.View()
	lines := strings.Split(v, "\n")
	if row := lines[len(lines)-3]; !strings.Contains(row, "✎ 09:00:13 alice: pilot merchants told") || !strings.HasSuffix(row, "N notes (2)") {
		t.Errorf("latest note row = %q", row)
	}
	checkSize(t, v, 80, 24)

	m, _ = press(t, m, "N")
	v = m.View()
	alice, bob := strings.Index(v, "09:00:13 alice"), strings.Index(v, "09:00:12 bob")
	if alice < 0 || bob < 0 || alice > bob || !strings.Contains(v, "DBA on call: bob") {
		t.Fatalf("notes dialog, newest first:\n%s", v)
	}
	if !strings.Contains(v, "after the switch") {
		t.Errorf("a long note is cut instead of wrapped:\n%s", v)
	}
	m, _ = press(t, m, "esc")
	if m.dialog != nil {
		t.Error("esc does not close the notes")
	}

	m = newModel(t, watcher{noted()}, 80, 24)
	m, _ = press(t, m, "N")
	footer := lastLine(m.View())
	if m.dialog == nil || strings.Contains(footer, "add a note") || !strings.Contains(footer, "esc close") {
		t.Errorf("watcher's notes footer = %q", footer)
	}
	if m, _ = press(t, m, "n"); m.dialog == nil || strings.Contains(m.View(), "Add a note") {
		t.Error("n in the notes opened a note dialog for a watcher")
	}

	m = newModel(t, opened(), 80, 24)
	if v := m.View(); strings.Contains(v, "✎") {
		t.Errorf("a note row without notes:\n%s", v)
	}
	m, _ = press(t, m, "N")
	if v := m.View(); !strings.Contains(v, "No notes yet. Press n to add one.") {
		t.Errorf("empty notes:\n%s", v)
	}
}

// TestNotesScroll: when the notes do not fit, the list says how many are
// further down, and ↓ moves to them.
func TestNotesScroll(t *testing.T) {
	f := copying()
	for i := range 12 {
		f.emit("bob", "note", "", "", map[string]string{"text": "note number " + itoa(i+1)})
	}
	m := newModel(t, f, 80, 24)
	m, _ = press(t, m, "N")
	v := m.View()
	checkSize(t, v, 80, 24)
	if !strings.Contains(v, "note number 12") || !strings.Contains(v, "older") || strings.Contains(v, "note number 1\n") {
		t.Fatalf("first page of notes:\n%s", v)
	}
	for range 11 {
		m, _ = press(t, m, "down")
	}
	v = m.View()
	if !strings.Contains(v, "note number 1 ") || !strings.Contains(v, "↑ 11 newer") {
		t.Errorf("last page of notes:\n%s", v)
	}
}

func lastLine(v string) string {
	lines := strings.Split(v, "\n")
	return lines[len(lines)-1]
}
