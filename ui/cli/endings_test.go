package cli

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"runway/ui/report"
)

const warnRunbook = `
version: 1
name: warned
title: Passes with a warning
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: fine, title: Fine, critical: true, command: {run: "true"}}
      - {id: optional, title: Optional check, command: {run: "exit 3"}}
`

// A run whose phases all passed with a non-critical failure exits 0 and says
// "passed with 1 warning" in its last lines, in the session list and in every
// report format; its outcome line comes before the anchor and the report command.
func TestPassedWithWarningsEverywhere(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeRunbook(t, dir, "warned.yaml", warnRunbook)
	var out, errOut bytes.Buffer
	code := Execute([]string{"run", "warned.yaml", "--plain", "--audit", "w.db"}, strings.NewReader(""), &out, &errOut)
	if code != ExitOK {
		t.Fatalf("exit %d, want 0 (a warning is no stop)\n%s\n%s", code, out.String(), errOut.String())
	}
	ending := regexp.MustCompile(`closed  passed with 1 warning\n` +
		`session \S+ passed with 1 warning \(1 of 1 phases\)\n` +
		`anchor \d+:[0-9a-f]{64}\n` +
		`report: runway report --audit w\.db \S+\n$`)
	if !ending.MatchString(out.String()) {
		t.Errorf("the run does not end with its outcome, anchor and report command:\n%s", out.String())
	}
	code, list, _ := runCLI("sessions", "--audit", "w.db")
	if code != ExitOK || !strings.Contains(list, "passed with 1 warning") {
		t.Errorf("sessions (exit %d):\n%s", code, list)
	}
	for _, format := range report.Formats {
		code, text, errText := runCLI("report", "--audit", "w.db", "--format", format)
		if code != ExitOK || !strings.Contains(text, "passed with 1 warning") || format != "json" && !strings.Contains(text, "session closed: passed with 1 warning") {
			t.Errorf("%s report (exit %d, %s) does not say passed with 1 warning", format, code, errText)
		}
	}
}

// A run that stops says so in its outcome line, before the anchor.
func TestStoppedRunPrintsItsOutcome(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeRunbook(t, dir, "sign.yaml", signRunbook)
	var out, errOut bytes.Buffer
	code := Execute([]string{"run", "sign.yaml", "--plain", "--audit", "s.db"}, strings.NewReader(""), &out, &errOut)
	if code != ExitStopped {
		t.Fatalf("exit %d", code)
	}
	if !regexp.MustCompile(`session \S+ not finished: one/ok waits for its sign-off \(0 of 1 phases passed\)\nanchor `).MatchString(out.String()) {
		t.Errorf("no outcome line before the anchor:\n%s", out.String())
	}
}
