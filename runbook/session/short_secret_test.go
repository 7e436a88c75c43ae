package session

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/fold"
)

// TestShortSecretsDoNotBreakTheFold: one- or two-byte values are masked
// as whole tokens in the output and the log ("pin=42" is stored as
// "pin=***"), and the session still runs, retries and folds: a payload's
// numbers keep their type.
func TestShortSecretsDoNotBreakTheFold(t *testing.T) {
	const text = `
version: 1
name: short
title: Short values
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: a, title: A, retries: 2, command: {run: "echo \\\"pin=${PIN} n=${N}\\\"; test -e ok || { touch ok; exit 1; }"}}
`
	dir := t.TempDir()
	rb := loadRunbook(t, dir, text, map[string]string{"PIN": "42", "N": "2"})
	f := newFixtureWith(t, dir, rb)
	f.do(RunPhase{Phase: "one"})
	it := f.item("a")
	if it.Status != fold.ItemPassed || !strings.Contains(it.Output, `"pin=*** n=***"`) {
		t.Fatalf("item: %s attempt %d output %q", it.Status, it.Attempt, it.Output)
	}
	if it.Attempt != 2 {
		t.Fatalf("attempt %d after one retry", it.Attempt)
	}
	for _, suffix := range []string{"", "-wal"} {
		raw, _ := os.ReadFile(f.path + suffix)
		if bytes.Contains(raw, []byte("pin=42")) || bytes.Contains(raw, []byte("n=2")) {
			t.Fatalf("%s holds a short secret", filepath.Base(f.path+suffix))
		}
	}
	events, err := f.log.Events(context.Background(), f.sess.ID(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		var p map[string]any
		if err := json.Unmarshal(e.Payload, &p); err != nil && len(e.Payload) > 0 {
			t.Fatalf("%s payload %s: %v", e.Kind, e.Payload, err)
		}
		if a, ok := p["attempt"]; ok {
			if _, num := a.(float64); !num {
				t.Fatalf("%s payload %s: the attempt is no longer a number", e.Kind, e.Payload)
			}
		}
	}
}

// newFixtureWith starts a session on an already parsed runbook.
func newFixtureWith(t *testing.T, dir string, rb *runbook.Runbook) *fixture {
	t.Helper()
	f := &fixture{t: t, dir: dir, rb: rb, path: filepath.Join(dir, "runway.db")}
	log, err := audit.Open(f.path)
	if err != nil {
		t.Fatal(err)
	}
	f.log = log
	t.Cleanup(func() { log.Close() })
	if f.sess, err = Start(context.Background(), log, rb, Options{Operator: "alice", Host: "test"}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.sess.Close(context.Background()) })
	return f
}
