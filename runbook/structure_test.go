package runbook

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestShippedTemplatesLintWithoutSecrets: with no variable set at all, as
// in a CI job without the secrets, every shipped template's structure is
// valid and its unset variables are notes; a run's reading of the same
// text still refuses them.
func TestShippedTemplatesLintWithoutSecrets(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "runbooks", "*.yaml"))
	if err != nil || len(files) < 3 {
		t.Fatalf("shipped templates: %v %v", files, err)
	}
	none := func(string) (string, bool) { return "", false } // the environment, cleared
	noted := 0
	for _, file := range files {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rb, notes, err := ParseStructure(file, text, none)
		if err != nil || rb == nil {
			t.Errorf("%s: structure check failed without secrets:\n%v", file, err)
			continue
		}
		for _, n := range notes {
			if !strings.Contains(n.Msg, "note: ") || !strings.Contains(n.Msg, "is not set") {
				t.Errorf("%s: note %q", file, n)
			}
		}
		noted += len(notes)
		if len(notes) == 0 {
			continue
		}
		var ps Problems
		if _, err := Parse(file, text, none); !errors.As(err, &ps) || !strings.Contains(ps.Error(), "is not set") {
			t.Errorf("%s: a run's reading accepts unset variables: %v", file, err)
		}
	}
	if noted == 0 {
		t.Error("no template references an unset variable: the test proves nothing")
	}
}

// TestStructureKeepsOtherProblems: notes replace only unset variables; a
// malformed reference and a real mistake stay problems.
func TestStructureKeepsOtherProblems(t *testing.T) {
	text := []byte(`
version: 1
name: x
title: X
connections:
  a: {driver: mysql, dsn: "${A_DSN}"}
  b: {driver: mysql, dsn: "${bad-name}"}
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: q, title: Q, sql: {conn: nowhere, query: "SELECT 1", expect: "1"}}
`)
	_, notes, err := ParseStructure("x.yaml", text, nil)
	var ps Problems
	if !errors.As(err, &ps) || !strings.Contains(ps.Error(), "bad variable reference") || !strings.Contains(ps.Error(), "nowhere") {
		t.Errorf("problems: %v", err)
	}
	if strings.Contains(ps.Error(), "A_DSN") || len(notes) != 1 || !strings.Contains(notes[0].String(), "x.yaml:6:") {
		t.Errorf("notes %v, problems %v", notes, ps)
	}
}
