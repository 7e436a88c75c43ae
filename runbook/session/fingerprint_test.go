package session

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"runway/runbook/audit"
	"runway/runbook/fold"
)

// appValue is the secret APP's value; it also occurs literally in the
// runbook text, where a mask over the stored text would have replaced it.
const appValue = "cache"

// hiddenPW is a secret that appears nowhere in the runbook text.
const hiddenPW = "Pw-9c1a-hidden-value"

const envRunbook = `
version: 1
name: envs
title: Variables at resume
phases:
  - id: one
    title: One in cache
    risk: low
    expected: 1h
    items:
      - {id: mark, title: Mark the cache, command: {run: "mkdir -p cache/${APP} && touch cache/${APP}/marker-${MODE:-plain}"}}
      - {id: pw, title: Password, command: {run: "test -n \"${PW}\""}}
`

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// startEnvSession starts a session on envRunbook with env and closes it
// before anything ran, as a quit would.
func startEnvSession(t *testing.T, env map[string]string) (dir, path, id string) {
	t.Helper()
	dir = t.TempDir()
	rb := loadRunbook(t, dir, envRunbook, env)
	path = filepath.Join(dir, "runway.db")
	log, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	s, err := Start(context.Background(), log, rb, Options{Operator: "alice", Host: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	return dir, path, s.ID()
}

func resumeWith(t *testing.T, path, id string, env map[string]string) (*Session, *audit.Log, error) {
	t.Helper()
	log, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { log.Close() })
	s, err := Resume(context.Background(), log, id, Options{Operator: "bob", Host: "test", Env: envOf(env)})
	if err == nil {
		t.Cleanup(func() { s.Close(context.Background()) })
	}
	return s, log, err
}

// TestResumeRunsTheRunbookThatRan: the stored text is the text as written,
// so a value that also occurs literally in it does not change the command.
func TestResumeRunsTheRunbookThatRan(t *testing.T) {
	env := map[string]string{"APP": appValue, "PW": hiddenPW}
	dir, path, id := startEnvSession(t, env)
	s, _, err := resumeWith(t, path, id, env)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Do(RunPhase{Phase: "one"}); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, s)
	if st := s.State(); st.Status != fold.StatusPassed {
		t.Fatalf("status %s: mark %q", st.Status, st.Item("one", "mark").Summary)
	}
	if _, err := os.Stat(filepath.Join(dir, "cache", appValue, "marker-plain")); err != nil {
		entries, _ := filepath.Glob(filepath.Join(dir, "*", "*", "*"))
		t.Fatalf("the resumed command did not run as written: %v (made %q)", err, entries)
	}
}

// TestResumeRefusesAChangedEnvironment: a changed, missing or newly set
// variable, or a lost key file, is refused in one line naming the variable
// and never its value.
func TestResumeRefusesAChangedEnvironment(t *testing.T) {
	env := map[string]string{"APP": appValue, "PW": hiddenPW}
	cases := []struct {
		name    string
		env     map[string]string
		dropKey bool
		want    string
	}{
		{"changed", map[string]string{"APP": "other-value", "PW": hiddenPW}, false, "${APP} differs from the value the session started with; set it as it was, or start a new session"},
		{"missing", map[string]string{"APP": appValue}, false, "${PW} is not set, and the session started with it set; set it as it was, or start a new session"},
		{"default no longer applies", map[string]string{"APP": appValue, "PW": hiddenPW, "MODE": "x"}, false, "${MODE} is set, and the session started with it unset"},
		{"key lost", env, true, "the key file "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, path, id := startEnvSession(t, env)
			if c.dropKey {
				if err := os.Remove(KeyPath(path)); err != nil {
					t.Fatal(err)
				}
			}
			_, _, err := resumeWith(t, path, id, c.env)
			var re *ResumeRefusedError
			if !errors.As(err, &re) {
				t.Fatalf("resume: %v, want a refusal", err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "resume "+id+": ") || !strings.Contains(msg, c.want) || strings.Contains(msg, "\n") {
				t.Fatalf("refusal %q, want %q", msg, c.want)
			}
			if c.dropKey && !strings.Contains(msg, KeyPath(path)) {
				t.Fatalf("refusal %q does not name the key file", msg)
			}
			for _, v := range []string{appValue + "/", hiddenPW, "other-value"} {
				if strings.Contains(msg, v) {
					t.Fatalf("refusal %q shows a value", msg)
				}
			}
		})
	}
}

// TestLogHoldsNoValueNorKey: the audit log's raw bytes hold neither a
// secret value nor the fingerprint key; the fingerprints are in the chained
// session.opened event, and verify-log passes.
func TestLogHoldsNoValueNorKey(t *testing.T) {
	env := map[string]string{"APP": appValue, "PW": hiddenPW}
	_, path, id := startEnvSession(t, env)
	key, err := os.ReadFile(KeyPath(path))
	if err != nil || len(key) != keySize {
		t.Fatalf("key file: %d bytes, %v", len(key), err)
	}
	if fi, _ := os.Stat(KeyPath(path)); fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v", fi.Mode().Perm())
	}
	log, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	events, _ := log.Events(context.Background(), id, 0)
	fps, _, err := openedFingerprints(audit.SessionInfo{ID: id}, events)
	if err != nil || len(fps) != 3 || fps["MODE"] != unsetFingerprint || len(fps["PW"]) != 64 {
		t.Fatalf("fingerprints %v, %v", fps, err)
	}
	if rep, err := log.Verify(context.Background()); err != nil || !rep.OK {
		t.Fatalf("verify: %+v %v", rep, err)
	}
	log.Close()
	for _, suffix := range []string{"", "-wal"} {
		raw, _ := os.ReadFile(path + suffix)
		for what, b := range map[string][]byte{"PW's value": []byte(hiddenPW), "the key": key, "the key in hex": []byte(hex.EncodeToString(key))} {
			if bytes.Contains(raw, b) {
				t.Fatalf("%s holds %s", filepath.Base(path+suffix), what)
			}
		}
	}
}

// TestResumeOfAnOlderSession: a session stored without fingerprints resumes
// only if its text holds no masked secret.
func TestResumeOfAnOlderSession(t *testing.T) {
	for _, c := range []struct {
		text    string
		refused bool
	}{
		{strings.Replace(envRunbook, "cache/${APP}", "***/${APP}", 1), true},
		{envRunbook, false},
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, "runway.db")
		log, err := audit.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		info, err := log.CreateSession(audit.SessionInfo{Runbook: "envs", RunbookPath: filepath.Join(dir, "rb.yaml"), RunbookText: []byte(c.text), Operator: "alice"})
		log.Close()
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = resumeWith(t, path, info.ID, map[string]string{"APP": appValue, "PW": hiddenPW})
		var re *ResumeRefusedError
		if c.refused != errors.As(err, &re) || c.refused && !strings.Contains(err.Error(), "older runway") {
			t.Fatalf("refused %v: %v", c.refused, err)
		}
	}
}

// TestKeyRaceEndsWithOneKey: processes racing to create the key all end
// with the same key.
func TestKeyRaceEndsWithOneKey(t *testing.T) {
	if p := os.Getenv("RUNWAY_KEY_RACE"); p != "" {
		key, err := fingerprintKey(p, true)
		if err != nil {
			os.Stdout.WriteString("error: " + err.Error())
			os.Exit(1)
		}
		os.Stdout.WriteString(hex.EncodeToString(key))
		os.Exit(0)
	}
	for round := range 5 {
		path := filepath.Join(t.TempDir(), "runway.db")
		const n = 4
		keys := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cmd := exec.Command(os.Args[0], "-test.run=^TestKeyRaceEndsWithOneKey$")
				cmd.Env = append(os.Environ(), "RUNWAY_KEY_RACE="+path)
				out, err := cmd.Output()
				if err != nil {
					keys[i] = "failed: " + err.Error() + " " + string(out)
					return
				}
				keys[i] = string(out)
			}()
		}
		wg.Wait()
		file, err := os.ReadFile(KeyPath(path))
		if err != nil {
			t.Fatal(err)
		}
		for i, k := range keys {
			if k != hex.EncodeToString(file) {
				t.Fatalf("round %d: process %d got key %q, the file holds %x", round, i, k, file)
			}
		}
		left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*new-*"))
		if len(left) > 0 {
			t.Fatalf("temporary key files left: %q", left)
		}
	}
}
