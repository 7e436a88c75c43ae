package demo

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLockRefusesASecondHolderAndALink(t *testing.T) {
	l := At(filepath.Join(t.TempDir(), "dm"))
	first, err := l.Lock()
	if err != nil {
		t.Fatal(err)
	}
	var busy *BusyError
	if _, err := l.Lock(); !errors.As(err, &busy) || busy.PID != os.Getpid() {
		t.Errorf("second lock: %v, want held by process %d", err, os.Getpid())
	}
	first.Release()
	again, err := l.Lock()
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	again.Release()

	// a lock file planted as a link is refused, its target untouched
	victim := filepath.Join(t.TempDir(), "victim.txt")
	os.WriteFile(victim, []byte("keep\n"), 0o644)
	planted := At(filepath.Join(t.TempDir(), "dm"))
	os.MkdirAll(planted.Dir, 0o755)
	os.Symlink(victim, filepath.Join(planted.Dir, LockFile))
	if _, err := planted.Lock(); err == nil || !strings.Contains(err.Error(), "is a symbolic link") {
		t.Errorf("planted link: %v", err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep\n" {
		t.Errorf("the link's target was written: %q", b)
	}

	// a folder of other files gets no lock file
	foreign := At(t.TempDir())
	os.WriteFile(filepath.Join(foreign.Dir, "mine.txt"), nil, 0o644)
	if _, err := foreign.Lock(); err == nil || !strings.Contains(err.Error(), "holds no runway demo") {
		t.Errorf("foreign folder: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(foreign.Dir, LockFile)); err == nil {
		t.Error("a lock file was left in a foreign folder")
	}
}
