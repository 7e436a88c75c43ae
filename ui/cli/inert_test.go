package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"runway/ui/inert"
)

// hostileCLIRunbook's name, title and command output try to drive the
// terminal and to forge a line that reads like runway's own.
const hostileCLIRunbook = `version: 1
name: "evil\e]0;pwned\a"
title: "Evil\nrunway: forged line\e[2J"
phases:
  - id: prep
    title: Prep
    risk: low
    expected: 1h
    items:
      - id: out
        title: "Output\e]52;c;Y3VybA==\a"
        critical: true
        command: {run: "printf '\\033]0;pwned\\a\\nrunway: forged line\\n'; exit 1"}
`

// forgedCLI is a line that only a value could have made.
var forgedCLI = regexp.MustCompile(`(?m)^runway: forged`)

// checkInertOutput fails for a line of out that could drive the terminal
// or that a value forged.
func checkInertOutput(t *testing.T, what, out string) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if msg := inert.Problem(line, false); msg != "" {
			t.Errorf("%s: %s in line %q", what, msg, line)
		}
	}
	if m := forgedCLI.FindString(out); m != "" {
		t.Errorf("%s: forged line in\n%s", what, out)
	}
}

// TestCommandLineShowsOutsideTextInert runs a hostile runbook in line mode,
// then lists, replays, watches and reports the session, and asks for
// sessions and files that do not exist under hostile names: nothing printed
// may drive the terminal or forge a line.
func TestCommandLineShowsOutsideTextInert(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "evil.yaml")
	if err := os.WriteFile(file, []byte(hostileCLIRunbook), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "runway.db")
	evilName := "s\x1b]0;pwned\a\nrunway: forged line"
	cases := [][]string{
		{"run", "--plain", "--audit", db, file},
		{"sessions", "--audit", db},
		{"replay", "--plain", "--audit", db},
		{"replay", "--plain", "--audit", db, evilName},
		{"watch", "--plain", "--audit", db, evilName},
		{"report", "--audit", db, evilName},
		{"run", "--plain", "--audit", db, filepath.Join(dir, evilName+".yaml")},
		{"lint", filepath.Join(dir, evilName+".yaml")},
	}
	for _, args := range cases {
		_, out, errOut := runCLI(args...)
		checkInertOutput(t, strings.Join(args[:2], " ")+" stdout", out)
		checkInertOutput(t, strings.Join(args[:2], " ")+" stderr", errOut)
	}
	// A report shows captured output as lines in fenced blocks (the report
	// package checks its structure): nothing in it may drive a terminal.
	_, out, _ := runCLI("report", "--audit", db, "--format", "md")
	if msg := inert.Problem(out, true); msg != "" {
		t.Errorf("report: %s", msg)
	}
}
