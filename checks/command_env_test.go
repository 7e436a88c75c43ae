package checks

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"runway/runbook"
)

// TestCommandVariablesAreData loads a runbook whose command references a
// variable full of shell syntax: the value must reach the command byte for
// byte, nothing in it may run, and output holding it is redacted.
func TestCommandVariablesAreData(t *testing.T) {
	const value = `Pa'ss "9"  Word $(touch dollar) ` + "`touch backtick`" + ` ; touch semi \n`
	const doc = `version: 1
name: env
title: Env
phases:
  - id: p
    title: P
    risk: low
    expected: 1h
    items:
      - id: c
        title: C
        command:
          run: |
            printf %s "$RV_TOKEN" > out
            printf %s "${RV_TOKEN:-unused}" > out2
            printf %s "${RV_MISSING:-fall back}" > out3
            printf 'token=%s\n' "${RV_TOKEN}"
`
	dir := t.TempDir()
	path := filepath.Join(dir, "rb.yaml")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	env := func(name string) (string, bool) {
		if name == "RV_TOKEN" {
			return value, true
		}
		return "", false
	}
	rb, err := runbook.Parse(path, []byte(doc), env)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	item, _ := rb.Item("", "c")
	if strings.Contains(item.Command.Run, "Pa'ss") {
		t.Fatalf("value pasted into the run text: %q", item.Command.Run)
	}
	res := commandCheckFor(t, *item.Command).Run(context.Background(), Env{Dir: dir, Redact: rb.Secrets.String})
	if !res.Passed {
		t.Fatalf("failed: %s %q", res.Summary, res.Output)
	}
	for file, want := range map[string]string{"out": value, "out2": value, "out3": "fall back"} {
		got, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q (%v), want %q", file, got, err, want)
		}
	}
	for _, f := range []string{"dollar", "backtick", "semi"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("the value was executed: %s was created", f)
		}
	}
	if strings.Contains(res.Output, "Pa'ss") || strings.Contains(res.Output, "touch") {
		t.Errorf("output not redacted: %q", res.Output)
	}
	if !strings.Contains(res.Output, "token="+runbook.Redacted) {
		t.Errorf("output %q lacks the masked value", res.Output)
	}
}
