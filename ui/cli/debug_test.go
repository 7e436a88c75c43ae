package cli

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const debugRunbook = `
version: 1
name: debugged
title: A run with a debug log
connections:
  old: {driver: sqlite, dsn: "${OLD_DB}"}
  new: {driver: sqlite, dsn: "new.db"}
  far: {driver: mysql, dsn: "runway:${FAR_PW}@tcp(127.0.0.1:1)/nowhere?timeout=1s"}
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: token, title: Uses a token, command: {run: "test -n \"${TOKEN}\""}}
      - {id: copy, title: Copy t, copy: {from: old, to: new, tables: [t], create: true}}
      - {id: verify, title: Verify t, verify: {from: old, to: new, tables: [t]}}
      - {id: far, title: A server that is not there, sql: {conn: far, query: "SELECT 1", expect: "1"}}
`

// --debug FILE appends JSON lines of internals: the command, the session's
// life, the connections it opened, each attempt and each engine's tables,
// with timings. No ${VAR} value and no DSN password is in it, and nothing
// of it reaches the screen.
func TestDebugLog(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	const token, oldDB = "tok-SECRET-4711", "old-SECRET-db.sqlite"
	t.Setenv("TOKEN", token)
	t.Setenv("OLD_DB", oldDB)
	t.Setenv("FAR_PW", "hunter2-dsn-pw")
	db, err := sql.Open("sqlite", oldDB)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t VALUES (1, 'a'), (2, 'b')"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	writeRunbook(t, dir, "debugged.yaml", debugRunbook)
	var out, errOut bytes.Buffer
	Execute([]string{"run", "debugged.yaml", "--plain", "--audit", "d.db", "--debug", "debug.log"}, strings.NewReader(""), &out, &errOut)
	screen := out.String() + errOut.String()
	t.Logf("run:\n%s", screen)
	defer func() {
		if t.Failed() {
			b, _ := os.ReadFile("debug.log")
			t.Logf("debug log:\n%s", b)
		}
	}()

	raw, err := os.ReadFile(filepath.Join(dir, "debug.log"))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{token, "SECRET", "hunter2"} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the debug log holds %q:\n%s", secret, raw)
		}
	}
	if strings.Contains(screen, `"msg"`) {
		t.Errorf("debug lines on the screen:\n%s", screen)
	}
	seen := map[string]map[string]any{}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("not a JSON line: %q", sc.Text())
		}
		seen[m["msg"].(string)] = m
	}
	for msg, keys := range map[string][]string{
		"runway.start":        {"time", "level", "pid", "command"},
		"session.start":       {"session", "runbook"},
		"conn.open":           {"conn", "driver"},
		"item.attempt":        {"phase", "item", "kind", "passed", "ms"},
		"engine.reach":        {"db", "ms"},
		"engine.copy.table":   {"table", "rows", "chunks", "chunk_rows", "retries", "seconds"},
		"engine.verify.table": {"table", "method", "rows", "chunks"},
		"session.close":       {"session", "ms"},
		"runway.end":          {"exit", "ms"},
	} {
		m, ok := seen[msg]
		if !ok {
			t.Errorf("no %s line in the debug log:\n%s", msg, raw)
			continue
		}
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				t.Errorf("%s line lacks %q: %v", msg, k, m)
			}
		}
	}
}

// RUNWAY_DEBUG names the file when --debug is not given.
func TestDebugLogFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "env.log")
	t.Setenv(debugEnv, path)
	if code, _, errOut := runCLI("lint", filepath.Join(dir, "missing.yaml")); code == ExitOK {
		t.Fatalf("lint of a missing file passed: %s", errOut)
	}
	raw, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(raw), `"msg":"runway.end"`) {
		t.Fatalf("debug log from %s: %v\n%s", debugEnv, err, raw)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("debug log mode: %v %v", fi.Mode(), err)
	}
}
