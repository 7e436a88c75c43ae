package session

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"runway/runbook/audit"
	"runway/runbook/fold"
)

const secretPW = "Pw-4f9c-never-shown"

const secretRunbook = `
version: 1
name: t
title: test
connections:
  legacy: {driver: mysql, dsn: "root:${PW}@tcp(127.0.0.1:1)/x"}
  other: {driver: mysql, dsn: "app:${PW}@tcp(127.0.0.1:1)/y"}
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: q, title: Query, sql: {conn: legacy, query: "SELECT 1", expect: "1"}}
      - {id: echo, title: Echo, command: {run: "echo token=${PW}; echo ${PW} >&2; exit 3"}}
      - {id: c, title: Copy, timeout: 2s, copy: {from: legacy, to: other, tables: [t]}}
      - {id: n, title: Note it, manual: {expect: "the password ${PW} is not shown"}}
`

func TestSecretsNeverReachTheLog(t *testing.T) {
	dir := t.TempDir()
	rb := loadRunbook(t, dir, secretRunbook, map[string]string{"PW": secretPW})
	path := filepath.Join(dir, "runway.db")
	log, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	s, err := Start(context.Background(), log, rb, Options{Operator: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	var errs []string
	for _, a := range []Action{
		RunPhase{Phase: "one"},
		Note{Text: "pasted by mistake: " + secretPW},
		Override{Item: "nope", Reason: secretPW},
		Skip{Item: "n", Reason: "because " + secretPW},
	} {
		if err := s.Do(a); err != nil {
			errs = append(errs, err.Error())
		}
		waitIdle(t, s)
	}
	st := s.State()
	if it := st.Item("one", "q"); it.Status != fold.ItemFailed || it.Summary == "" {
		t.Fatalf("the query on an unreachable server: %s %q", it.Status, it.Summary)
	}
	if it := st.Item("one", "echo"); it.Status != fold.ItemFailed || !strings.Contains(it.Output, "token=***") {
		t.Fatalf("echo: %s, output %q", it.Status, it.Output)
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Every text the session produced: state, errors, and the raw log bytes.
	var texts []string
	texts = append(texts, errs...)
	events, _ := log.Events(context.Background(), s.ID(), 0)
	for _, e := range events {
		texts = append(texts, string(e.Payload))
	}
	for _, p := range st.Phases {
		for _, it := range p.Items {
			texts = append(texts, it.Summary, it.Output, it.Skip)
		}
	}
	for _, text := range texts {
		if strings.Contains(text, secretPW) {
			t.Fatalf("secret in %q", text)
		}
	}
	log.Close()
	for _, suffix := range []string{"", "-wal"} {
		raw, err := os.ReadFile(path + suffix)
		if err != nil && suffix == "" {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte(secretPW)) {
			t.Fatalf("the password is in %s's raw bytes", filepath.Base(path+suffix))
		}
	}
}
