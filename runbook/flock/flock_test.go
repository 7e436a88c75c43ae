package flock

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Two opens of one file exclude each other, even in one process, until
// the holder closes its file; a stamp is read back by a contender.
func TestTwoHoldsExcludeEachOther(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	first, err := Open(path, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if held, err := TryLock(first); !held || err != nil {
		t.Fatalf("first hold: %v, %v", held, err)
	}
	if err := Stamp(first, "42 host\n"); err != nil {
		t.Fatal(err)
	}
	second, err := Open(path, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	if held, err := TryLock(second); held || err != nil {
		t.Fatalf("second hold while the first holds: %v, %v", held, err)
	}
	if got := ReadStamp(second); got != "42 host" {
		t.Errorf("stamp read back %q", got)
	}
	locked := make(chan error, 1)
	go func() { locked <- Lock(second) }()
	first.Close() // Lock, waiting or not yet called, then gets it
	if err := <-locked; err != nil {
		t.Fatalf("second hold after the first closed: %v", err)
	}
	if held, err := TryLock(openAgain(t, path)); held || err != nil {
		t.Fatalf("a third hold while the second holds: %v, %v", held, err)
	}
}

// first2 opens path once more, closed when the test ends.
func openAgain(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := Open(path, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// A symbolic link at the path is refused and its target left as it was.
func TestSymlinkRefused(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "x.lock")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(link, 0o600); !errors.Is(err, ErrSymlink) {
		t.Fatalf("Open through a link: %v, want ErrSymlink", err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Errorf("the link's target was changed: %q", b)
	}
}

// A file removed and made again at the path is no longer the one held.
func TestStillAt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	f, err := Open(path, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if same, err := StillAt(f, path); !same || err != nil {
		t.Fatalf("StillAt the file just opened: %v, %v", same, err)
	}
	os.Remove(path)
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if same, _ := StillAt(f, path); same {
		t.Error("StillAt a file made anew at the path")
	}
}
