package console

import (
	"strings"
	"testing"
)

// TestDetailKeepsScriptLines: a multi-line command is shown line by line,
// indentation kept, blank lines dropped, and cut after maxSpecLines.
func TestDetailKeepsScriptLines(t *testing.T) {
	rb := orders()
	rb.Phases[0].Items[2].Command.Run = "set -e\n\nfor db in orders lines; do\n\tcheck \"$db\"   \ndone\n"
	f := newFake(rb)
	m := newModel(t, f, 80, 24)
	m, _ = press(t, m, "down", "down")
	view := m.View()
	for _, want := range []string{"\n$ set -e\n", "\nfor db in orders lines; do\n", "\n  check \"$db\"\n", "\ndone\n"} {
		if !strings.Contains(view, want) {
			t.Errorf("detail lacks %q:\n%s", want, view)
		}
	}

	long := strings.Repeat("echo step\n", 9)
	got := strings.Split(specText("$ "+long), "\n")
	if len(got) != maxSpecLines || got[maxSpecLines-1] != "  … 4 more lines in the runbook" {
		t.Errorf("9-line script shown as %q", got)
	}
}
