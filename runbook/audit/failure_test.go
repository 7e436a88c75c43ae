package audit

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// expectPoisoned checks that err is an unwritable error naming the log and
// reason, and that every later write fails the same way.
func expectPoisoned(t *testing.T, l *Log, s string, err error, reason string) {
	t.Helper()
	if !errors.Is(err, ErrUnwritable) {
		t.Fatalf("err = %v, want ErrUnwritable", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, l.Path()) || !strings.Contains(msg, reason) || strings.Contains(msg, "\n") {
		t.Errorf("error %q should be one line naming %s and %q", msg, l.Path(), reason)
	}
	if _, err := l.Append(note(s, 99)); !errors.Is(err, ErrUnwritable) {
		t.Errorf("Append after the failure: %v", err)
	}
	if _, err := l.AppendBatch([]Event{note(s, 99)}); !errors.Is(err, ErrUnwritable) {
		t.Errorf("AppendBatch after the failure: %v", err)
	}
	if _, err := l.CreateSession(SessionInfo{Operator: "alice"}); !errors.Is(err, ErrUnwritable) {
		t.Errorf("CreateSession after the failure: %v", err)
	}
	if err := l.SetSessionStatus(s, "aborted", time.Now()); !errors.Is(err, ErrUnwritable) {
		t.Errorf("SetSessionStatus after the failure: %v", err)
	}
	if l.Poisoned() == nil {
		t.Error("Poisoned() = nil")
	}
}

func TestDiskFullPoisonsAndKeepsEarlierEvents(t *testing.T) {
	l, path := newLog(t)
	s := newSession(t, l)
	written := appendN(t, l, s.ID, 5)
	l.limitPages(t)
	big := Event{Session: s.ID, Actor: "engine", Kind: "engine.progress",
		Payload: []byte(fmt.Sprintf(`{"blob":%q}`, strings.Repeat("x", 3000)))}
	var err error
	for range 1000 {
		var e Event
		if e, err = l.Append(big); err != nil {
			break
		}
		written = append(written, e)
	}
	expectPoisoned(t, l, s.ID, err, "disk is full")
	l.Close()
	checkAllPresent(t, path, written)
}

// TestRealDiskFull fills a tiny tmpfs. It needs root to mount one and skips
// otherwise; TestDiskFullPoisonsAndKeepsEarlierEvents covers the logic.
func TestRealDiskFull(t *testing.T) {
	if os.Geteuid() != 0 || testing.Short() {
		t.Skip("needs root to mount a tmpfs")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=320k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	path := filepath.Join(dir, "runway.db")
	l, err := openQuiet(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	s := newSession(t, l)
	var written []Event
	for range 2000 {
		var e Event
		if e, err = l.Append(note(s.ID, len(written))); err != nil {
			break
		}
		written = append(written, e)
	}
	expectPoisoned(t, l, s.ID, err, "disk is full")
	l.Close()
	if out, err := exec.Command("mount", "-o", "remount,size=4m", dir).CombinedOutput(); err != nil {
		t.Fatalf("remount: %v %s", err, out)
	}
	checkAllPresent(t, path, written)
	t.Logf("%d events fitted before the disk was full", len(written))
}

func TestOpenReadOnlyFileRefused(t *testing.T) {
	l, path := newLog(t)
	s := newSession(t, l)
	written := appendN(t, l, s.ID, 3)
	l.Close()
	makeReadOnly(t, path)
	if _, err := openQuiet(path); !errors.Is(err, ErrUnwritable) || !strings.Contains(err.Error(), path) {
		t.Fatalf("Open of a read-only log: %v", err)
	} else {
		t.Log(err)
	}
	checkAllPresent(t, path, written)
}

func TestOpenInReadOnlyDirRefused(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing.db")
	l, err := openQuiet(existing)
	if err != nil {
		t.Fatal(err)
	}
	s := newSession(t, l)
	written := appendN(t, l, s.ID, 3)
	l.Close()
	makeReadOnly(t, dir)
	fresh := filepath.Join(dir, "runway.db")
	if _, err := openQuiet(fresh); !errors.Is(err, ErrUnwritable) || !strings.Contains(err.Error(), fresh) {
		t.Errorf("Open of a new log in a read-only directory: %v", err)
	} else {
		t.Log(err)
	}
	// The log itself is writable but its WAL cannot be created beside it.
	if _, err := openQuiet(existing); !errors.Is(err, ErrUnwritable) {
		t.Errorf("Open of a log in a read-only directory: %v", err)
	} else {
		t.Log(err)
	}
	checkAllPresent(t, existing, written)
}

// TestFileTurnsReadOnlyWhileOpen makes the open log immutable, which only
// root can do; a plain chmod does not stop writes through an open file.
func TestFileTurnsReadOnlyWhileOpen(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to make an open file immutable")
	}
	l, path := newLog(t)
	s := newSession(t, l)
	written := appendN(t, l, s.ID, 3)
	makeReadOnly(t, path, path+"-wal")
	_, err := l.Append(note(s.ID, 4))
	expectPoisoned(t, l, s.ID, err, "read-only")
	t.Log(err)
	l.Close()
	exec.Command("chattr", "-i", path, path+"-wal").Run()
	checkAllPresent(t, path, written)
}

func TestFileRemovedWhileOpen(t *testing.T) {
	l, path := newLog(t)
	s := newSession(t, l)
	written := appendN(t, l, s.ID, 3)
	// Keep a second name for the file so we can look inside it afterwards.
	kept := filepath.Join(filepath.Dir(path), "kept.db")
	if err := os.Link(path, kept); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	_, err := l.Append(note(s.ID, 4))
	expectPoisoned(t, l, s.ID, err, "removed")
	l.Close()
	// SQLite does not fold the WAL into a file that has gone from its path:
	// the recorded events wait in the WAL beside the old name.
	if err := os.Rename(path+"-wal", kept+"-wal"); err != nil {
		t.Fatalf("the WAL holding the latest events is gone: %v", err)
	}
	checkAllPresent(t, kept, written)
	if last := lastSeq(t, kept); last != written[len(written)-1].Seq {
		t.Errorf("an event was written after the file was removed: last seq %d", last)
	}
}

func TestFileReplacedWhileOpen(t *testing.T) {
	l, path := newLog(t)
	s := newSession(t, l)
	written := appendN(t, l, s.ID, 3)
	moved := filepath.Join(filepath.Dir(path), "moved.db")
	if err := os.Rename(path, moved); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("someone else's file"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := l.Append(note(s.ID, 4))
	expectPoisoned(t, l, s.ID, err, "replaced")
	l.Close()
	if err := os.Rename(path+"-wal", moved+"-wal"); err != nil {
		t.Fatalf("the WAL holding the latest events is gone: %v", err)
	}
	checkAllPresent(t, moved, written)
	if last := lastSeq(t, moved); last != written[len(written)-1].Seq {
		t.Errorf("an event was written after the file was replaced: last seq %d", last)
	}
	if b, _ := os.ReadFile(path); string(b) != "someone else's file" {
		t.Errorf("the file now at the path was changed: %q", b)
	}
}

func lastSeq(t *testing.T, path string) int64 {
	t.Helper()
	r, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	n, err := r.LastSeq(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// mainOnly copies the log file without its -wal: what a kill -9 leaves once
// the -wal is gone.
func mainOnly(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "main-only.db")
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestWALRemovedWhileOpen(t *testing.T) {
	l, path := newLog(t)
	s := newSession(t, l)
	written := appendN(t, l, s.ID, 3)
	if err := os.Remove(path + "-wal"); err != nil {
		t.Fatal(err)
	}
	_, err := l.Append(note(s.ID, 4))
	expectPoisoned(t, l, s.ID, err, "runway.db-wal was removed while open; every event recorded so far was saved into the log file")
	checkAllPresent(t, mainOnly(t, path), written)
	if last := lastSeq(t, mainOnly(t, path)); last != written[len(written)-1].Seq {
		t.Errorf("an event was written after the -wal was removed: last seq %d", last)
	}
}

func TestWALReplacedWhileOpen(t *testing.T) {
	l, path := newLog(t)
	s := newSession(t, l)
	written := appendN(t, l, s.ID, 3)
	if err := os.Remove(path + "-wal"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+"-wal", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := l.AppendBatch([]Event{note(s.ID, 4), note(s.ID, 5)})
	expectPoisoned(t, l, s.ID, err, "runway.db-wal was replaced by another while open; every event recorded so far was saved into the log file")
	checkAllPresent(t, mainOnly(t, path), written)
}

// TestGuardSavesEventsWithoutAWrite: no write comes after the -wal is
// removed (the operator reads an item's instructions); the log notices by
// itself and saves the events into the log file.
func TestGuardSavesEventsWithoutAWrite(t *testing.T) {
	l, path := newGuardedLog(t, 10*time.Millisecond)
	s := newSession(t, l)
	written := appendN(t, l, s.ID, 3)
	if err := os.Remove(path + "-wal"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for l.Poisoned() == nil {
		if time.Now().After(deadline) {
			t.Fatal("the log did not notice its -wal was removed")
		}
		time.Sleep(5 * time.Millisecond)
	}
	expectPoisoned(t, l, s.ID, l.Poisoned(), "was removed while open; every event recorded so far was saved into the log file")
	checkAllPresent(t, mainOnly(t, path), written)
}
