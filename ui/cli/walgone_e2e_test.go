package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"runway/runbook/audit"
)

// The README promises that every event the screen showed is in the log.
// These tests take the log's files away from a running session and hold
// runway to that promise, through a kill -9 as well.

const walGoneRunbook = `
version: 1
name: walgone
title: Files taken away mid-session
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: first, title: First, command: {run: "echo first"}}
      - {id: wait, title: Wait, command: {run: "while [ ! -e go ]; do sleep 0.05; done"}}
      - {id: after, title: After, command: {run: "echo after >> ran.txt"}}
`

// walGoneSession runs walGoneRunbook with --plain until its wait item runs
// and its process group is recorded.
type walGoneSession struct {
	dir, db string
	cmd     *exec.Cmd
	stdout  *os.File
	stderr  bytes.Buffer
}

func startWalGone(t *testing.T) *walGoneSession {
	t.Helper()
	s := &walGoneSession{dir: t.TempDir()}
	writeRunbook(t, s.dir, "walgone.yaml", walGoneRunbook)
	s.db = filepath.Join(s.dir, "runway.db")
	s.cmd = exec.Command(runwayBinary(t), "--audit", s.db, "--operator", "alice", "run", "walgone.yaml", "--plain")
	s.cmd.Dir = s.dir
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var err error
	if s.stdout, err = os.Create(filepath.Join(s.dir, "out.txt")); err != nil {
		t.Fatal(err)
	}
	s.cmd.Stdout, s.cmd.Stderr = s.stdout, &s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		s.cmd.Wait()
		s.stdout.Close()
	})
	// Watch the screen, not the log: opening the log would make SQLite
	// create a fresh -wal under the session's feet. The item's process
	// group is the last event before the wait: no write is under way when
	// a test takes the files away.
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(s.screen(t), "one/wait  process") {
		if time.Now().After(deadline) {
			t.Fatalf("the wait item never started:\n%s%s", s.screen(t), s.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return s
}

func (s *walGoneSession) screen(t *testing.T) string {
	b, err := os.ReadFile(s.stdout.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// crash kills the run -9 and waits until its wait item's command is gone
// too, as a lead would before resuming: a resume rightly refuses while the
// command of an interrupted run still runs.
func (s *walGoneSession) crash(t *testing.T) {
	t.Helper()
	killGroup(t, killRun(t, s.cmd, s.db, "wait"))
}

// shown is what the screen acknowledged: "where verb" of each event line.
func (s *walGoneSession) shown(t *testing.T) []string {
	var out []string
	for _, line := range strings.Split(s.screen(t), "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && len(f[0]) == 8 && strings.Count(f[0], ":") == 2 {
			out = append(out, f[1]+" "+f[2])
		}
	}
	return out
}

// logged is the same for the events in the log at path, or an error if the
// file cannot be read as a log.
func logged(path string) ([]string, error) {
	l, err := audit.OpenReadOnly(path)
	if err != nil {
		return nil, err
	}
	defer l.Close()
	events, err := l.Events(context.Background(), "", 0)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range events {
		where := "session"
		switch {
		case e.Item != "":
			where = e.Phase + "/" + e.Item
		case e.Phase != "":
			where = e.Phase
		}
		out = append(out, where+" "+e.Kind[strings.LastIndex(e.Kind, ".")+1:])
	}
	return out, nil
}

// checkShownAreLogged asserts that every event line shown is in the log at
// path, in order.
func checkShownAreLogged(t *testing.T, shown []string, path string) {
	t.Helper()
	got, err := logged(path)
	if err != nil {
		t.Fatalf("after the session: %v", err)
	}
	if len(got) < len(shown) || strings.Join(got[:len(shown)], "\n") != strings.Join(shown, "\n") {
		t.Fatalf("the screen showed:\n%s\nthe log holds:\n%s", strings.Join(shown, "\n"), strings.Join(got, "\n"))
	}
}

// TestWALRemovedThenKilled: the -wal is removed while the operator waits
// on an item, then the process is killed with no write in between. Before
// the kill, the log file alone must come to hold every event shown.
func TestWALRemovedThenKilled(t *testing.T) {
	s := startWalGone(t)
	shown := s.shown(t)
	if err := os.Remove(s.db + "-wal"); err != nil {
		t.Fatal(err)
	}
	copied := filepath.Join(t.TempDir(), "copy.db")
	deadline := time.Now().Add(30 * time.Second)
	for {
		b, err := os.ReadFile(s.db)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(copied, b, 0o644)
		if got, err := logged(copied); err == nil && len(got) >= len(shown) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the log file alone never held the %d events shown: what a kill -9 would leave", len(shown))
		}
		time.Sleep(50 * time.Millisecond)
	}
	syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	s.cmd.Wait()
	checkShownAreLogged(t, shown, s.db)
	if code, stdout, stderr := runway(t, s.dir, nil, "verify-log", s.db); code != 0 {
		t.Fatalf("verify-log: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestFilesTakenAwayExitsThree: after the -wal is removed, or the log is
// moved away and another file put in its place, the next event cannot be
// recorded: runway stops with exit 3 naming the file, shows nothing more,
// runs nothing more, and every event it showed is in the log.
func TestFilesTakenAwayExitsThree(t *testing.T) {
	for _, tc := range []struct {
		name string
		take func(t *testing.T, db string) (logNow string)
		want string
	}{
		{"wal removed", func(t *testing.T, db string) string {
			if err := os.Remove(db + "-wal"); err != nil {
				t.Fatal(err)
			}
			return db
		}, "runway.db-wal was removed while open"},
		{"wal truncated", func(t *testing.T, db string) string {
			// In place, as `: > runway.db-wal` does: the same file, empty.
			if err := os.Truncate(db+"-wal", 0); err != nil {
				t.Fatal(err)
			}
			return db + ".rescued"
		}, "runway.db-wal was truncated while open; runway.db may lack the events since its last checkpoint; every event recorded so far was saved into runway.db.rescued"},
		{"log replaced", func(t *testing.T, db string) string {
			// In one step, as mv does, so the path never names no file.
			moved := filepath.Join(filepath.Dir(db), "moved.db")
			other := filepath.Join(filepath.Dir(db), "other.db")
			if err := os.WriteFile(other, []byte("someone else's file"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Link(db, moved); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(other, db); err != nil {
				t.Fatal(err)
			}
			return moved
		}, "was replaced by another while open"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startWalGone(t)
			logNow := tc.take(t, s.db)
			if err := os.WriteFile(filepath.Join(s.dir, "go"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
			s.cmd.Wait()
			msg := strings.TrimSpace(s.stderr.String())
			if code := s.cmd.ProcessState.ExitCode(); code != 3 || strings.Contains(msg, "\n") ||
				!strings.HasPrefix(msg, "runway: audit log ") || !strings.Contains(msg, tc.want) {
				t.Fatalf("exit %d, stderr %q, want exit 3 and one line with %q", code, msg, tc.want)
			}
			shown := s.shown(t)
			if strings.Contains(strings.Join(shown, "\n"), "one/wait passed") {
				t.Errorf("an event was shown after the log failed:\n%s", s.screen(t))
			}
			if _, err := os.Stat(filepath.Join(s.dir, "ran.txt")); err == nil {
				t.Error("an item ran after the log failed")
			}
			checkShownAreLogged(t, shown, logNow)
			if code, stdout, stderr := runway(t, s.dir, nil, "verify-log", logNow); code != 0 {
				t.Fatalf("verify-log %s: exit %d\n%s%s", logNow, code, stdout, stderr)
			}
		})
	}
}
