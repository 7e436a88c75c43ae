package audit

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenRefusesASecondName: a log with two hard links, or reached by a
// symbolic link, would give a session two lock files and two -wal files.
// Open refuses it in one line naming the path; the file is not changed.
func TestOpenRefusesASecondName(t *testing.T) {
	l, path := newLog(t)
	newSession(t, l)
	l.Close()
	dir := filepath.Dir(path)
	hard := filepath.Join(dir, "other.db")
	if err := os.Link(path, hard); err != nil {
		t.Fatal(err)
	}
	soft := filepath.Join(dir, "link.db")
	if err := os.Symlink(path, soft); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	for _, tc := range []struct{ path, want string }{
		{hard, "has 2 names (hard links)"},
		{path, "has 2 names (hard links)"},
		{soft, "is a symbolic link to " + path},
	} {
		l, err := openQuiet(tc.path)
		if err == nil {
			l.Close()
			t.Errorf("openQuiet(%s) succeeded", tc.path)
			continue
		}
		msg := err.Error()
		if !errors.Is(err, ErrUnwritable) || !strings.HasPrefix(msg, "audit log "+tc.path+" ") ||
			!strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
			t.Errorf("openQuiet(%s) = %q, want one line naming it with %q", tc.path, msg, tc.want)
		}
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("a refused Open changed the log")
	}
	if _, err := os.Stat(soft + "-wal"); err == nil {
		t.Error("a refused Open left a -wal beside the link")
	}
	// One name again: writable.
	if err := os.Remove(hard); err != nil {
		t.Fatal(err)
	}
	l2, err := openQuiet(path)
	if err != nil {
		t.Fatalf("Open after the second name was removed: %v", err)
	}
	l2.Close()
}
