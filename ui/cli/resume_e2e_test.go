package cli

import (
	"bytes"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"runway/runbook/audit"
)

// cacheRunbook's command uses ${APP}, whose value ("cache") the text also
// holds literally: a mask over the stored text would change the command.
const cacheRunbook = `
version: 1
name: cache-clean
title: Clean the cache
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: long, title: Wait for the kill, command: {run: "test -e again && exit 0; touch again; sleep 30"}}
      - {id: mark, title: Mark the cache, command: {run: "mkdir -p srv/cache/${APP} && touch srv/cache/${APP}/marker && test -n \"${PW}\""}}
`

const resumePW = "Pw-3b7e-resume-secret"

// TestResumeAfterKillRunsTheCommandAsWritten drives the binary: run, kill
// -9 mid-way, resume with a changed and a missing variable (refused, exit
// 2, naming the variable only), then as started (the command runs with the
// right text). The audit log's raw bytes never hold the password nor the
// fingerprint key.
func TestResumeAfterKillRunsTheCommandAsWritten(t *testing.T) {
	bin := runwayBinary(t)
	dir := t.TempDir()
	writeRunbook(t, dir, "cache.yaml", cacheRunbook)
	db := filepath.Join(dir, "runway.db")
	env := []string{"APP=cache", "PW=" + resumePW}

	cmd := exec.Command(bin, "--audit", db, "--operator", "alice", "run", "cache.yaml", "--plain")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pollLog(t, db, "the long item to start", func(e audit.Event) bool {
		return e.Kind == "item.started" && e.Item == "long"
	})
	waitForFile(t, filepath.Join(dir, "again"), "the long item to start sleeping")
	killGroup(t, killRun(t, cmd, db, "long"))

	refusals := []struct {
		env  []string
		want string
	}{
		{[]string{"APP=other-app", "PW=" + resumePW}, "${APP} differs from the value the session started with; set it as it was, or start a new session"},
		{[]string{"APP=cache", "PW="}, "${PW} differs from the value the session started with"},
	}
	for _, r := range refusals {
		code, stdout, stderr := runway(t, dir, r.env, "--audit", db, "resume", "--plain")
		if code != 2 || !strings.Contains(stderr, r.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Fatalf("resume with %q: exit %d\nstdout %s\nstderr %s", r.env, code, stdout, stderr)
		}
		if strings.Contains(stdout+stderr, "other-app") || strings.Contains(stdout+stderr, resumePW) {
			t.Fatalf("the refusal shows a value: %s", stderr)
		}
	}
	// A variable missing from the environment altogether.
	unset := exec.Command(bin, "--audit", db, "resume", "--plain")
	unset.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PW=") && !strings.HasPrefix(kv, "APP=") {
			unset.Env = append(unset.Env, kv)
		}
	}
	unset.Env = append(unset.Env, "APP=cache")
	msg, _ := unset.CombinedOutput()
	if unset.ProcessState.ExitCode() != 2 || !strings.Contains(string(msg), "${PW} is not set, and the session started with it set") {
		t.Fatalf("resume without PW: exit %d: %s", unset.ProcessState.ExitCode(), msg)
	}

	code, stdout, stderr := runway(t, dir, env, "--audit", db, "--operator", "bob", "resume", "--plain")
	if code != 0 {
		t.Fatalf("resume: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "srv", "cache", "cache", "marker")); err != nil {
		made, _ := filepath.Glob(filepath.Join(dir, "srv", "*", "*", "*"))
		t.Fatalf("the resumed command did not run as written: %v (made %q)", err, made)
	}
	if made, _ := filepath.Glob(filepath.Join(dir, "srv", "\\*\\*\\*")); len(made) > 0 {
		t.Fatalf("the resumed command ran a masked text: %q", made)
	}
	if code, stdout, stderr := runway(t, dir, nil, "verify-log", db); code != 0 {
		t.Fatalf("verify-log: exit %d\n%s%s", code, stdout, stderr)
	}

	key, err := os.ReadFile(db + ".key")
	if err != nil || len(key) != 32 {
		t.Fatalf("key file: %d bytes, %v", len(key), err)
	}
	for _, name := range []string{"runway.db", "runway.db-wal"} {
		raw, _ := os.ReadFile(filepath.Join(dir, name))
		if name == "runway.db" && len(raw) == 0 {
			t.Fatal("no audit log written")
		}
		for what, b := range map[string][]byte{"the password": []byte(resumePW), "the key": key, "the key in hex": []byte(hex.EncodeToString(key))} {
			if bytes.Contains(raw, b) {
				t.Fatalf("%s holds %s", name, what)
			}
		}
	}
}
