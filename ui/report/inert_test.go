package report

import (
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"runway/runbook/audit"
	"runway/runbook/session"
	"runway/ui/inert"
	"runway/ui/internal/fixture"
)

// hostileRunbook's texts and its command's output try to drive the terminal
// the report is read in and to forge Markdown structure: a heading, a table
// row, an image that calls home.
const hostileRunbook = `version: 1
name: hostile
title: "Hostile\e]0;pwned\a\n# Forged heading"
phases:
  - id: prep
    title: "Prep | forged cell"
    risk: low
    expected: 1h
    items:
      - id: out
        title: "# Output ![x](https://evil.example/track.png)"
        critical: true
        command: {run: "printf '\\033]52;c;Y3VybA==\\a\\033]0;pwned\\a\\033[2J\\n| 99 | forged row |\\n\\342\\200\\256evil'; exit 1"}
`

func hostileSession(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	rb := fixture.Runbook(t, filepath.Join(dir, "runbook.yaml"), hostileRunbook)
	path := filepath.Join(dir, "runway.db")
	log, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	s, err := session.Start(context.Background(), log, rb, session.Options{Operator: "alice\x1b[2J", Host: "h\u202eost"})
	if err != nil {
		t.Fatal(err)
	}
	fixture.Do(t, s,
		session.RunPhase{Phase: "prep"},
		session.Note{Text: "note\n| 98 | forged |\n# heading \x1b]0;pwned\a &#8238; [link](javascript:alert(1))"},
	)
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	return path
}

// forgedMD are lines that only a value could have made: a heading, a table
// row or a link runway never writes.
var forgedMD = regexp.MustCompile(`(?m)^(# Forged|#+ heading|\| 9[89] \|)|[^\\]!\[x\]|[^\\]\[link\]|[^\\]&#8238;`)

// TestReportsShowOutsideTextInert renders the Markdown and HTML reports of a
// hostile session: neither may carry anything that drives a terminal (a
// report is often read with cat), and the Markdown holds no structure that
// a value forged.
func TestReportsShowOutsideTextInert(t *testing.T) {
	r, err := Build(context.Background(), hostileSession(t), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"md", "html", "json"} {
		out := render(t, r, format)
		if msg := inert.Problem(out, true); msg != "" {
			i := strings.IndexAny(out, "\x1b\a\u202e")
			t.Errorf("%s report: %s near %q", format, msg, out[max(i-40, 0):min(i+40, len(out))])
		}
		if format == "json" {
			var back Report
			if err := json.Unmarshal([]byte(out), &back); err != nil {
				t.Fatalf("json report does not read back: %v", err)
			}
			if got := back.Session.Host; got != "h\u202eost" {
				t.Errorf("json report changed a value: host %q", got)
			}
			continue
		}
		if !strings.Contains(out, `\x1b]0;pwned\x07`) {
			t.Errorf("%s report does not show the escapes visibly", format)
		}
		if format == "md" {
			if m := forgedMD.FindString(outsideFences(out)); m != "" {
				t.Errorf("md report holds forged structure %q:\n%s", m, out)
			}
		}
	}
}

// outsideFences drops the fenced blocks of a Markdown text (captured output
// and the runbook are shown as they are there, and are no structure).
func outsideFences(s string) string {
	var b strings.Builder
	fence := ""
	for _, line := range strings.Split(s, "\n") {
		switch {
		case fence == "" && strings.HasPrefix(line, "```"):
			fence = strings.TrimRight(line, "abcdefghijklmnopqrstuvwxyz")
		case fence != "" && line == fence:
			fence = ""
		case fence == "":
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

func TestMarkdownLeadCannotStartABlock(t *testing.T) {
	cases := map[string]string{
		"# heading":        `\# heading`,
		"- item":           `\- item`,
		"12. item":         `12\. item`,
		"```go":            "\\```go",
		"> quote":          `\> quote`,
		"-":                `\-`,
		"exit 1":           "exit 1",
		"#hashtag":         "#hashtag",
		"![x](http://e/p)": `!\[x](http://e/p)`,
		"a &#8238; b":      `a \&#8238; b`,
		"\x1b]0;t\a":       `\x1b]0;t\x07`,
	}
	for in, want := range cases {
		if got := lead(in); got != want {
			t.Errorf("lead(%q) = %q, want %q", in, got, want)
		}
	}
}
