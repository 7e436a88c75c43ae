package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"runway/runbook/audit"
)

// TestResumeRefusesASymlinkedLockFile: in a folder others may write, the
// session's lock file name is planted as a symbolic link to another file.
// resume refuses in one line naming the lock file and leaves the target as
// it was (it used to truncate it and write "PID HOST" into it).
func TestResumeRefusesASymlinkedLockFile(t *testing.T) {
	s := startWalGone(t)
	s.crash(t)
	l, err := audit.OpenReadOnly(s.db)
	if err != nil {
		t.Fatal(err)
	}
	info, err := l.LatestSession(context.Background())
	l.Close()
	if err != nil {
		t.Fatal(err)
	}
	victim := filepath.Join(t.TempDir(), "victim.txt")
	if err := os.WriteFile(victim, []byte("precious\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The killed driver's lock file stays behind; anyone who may write
	// the folder may replace it.
	lock := s.db + "." + info.ID + ".lock"
	os.Remove(lock)
	if err := os.Symlink(victim, lock); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runway(t, s.dir, nil, "--audit", s.db, "--operator", "root", "resume", "--plain")
	msg := strings.TrimSpace(stderr)
	if b, _ := os.ReadFile(victim); string(b) != "precious\n" {
		t.Fatalf("the link's target was written: %q", b)
	}
	if code != 3 || strings.Contains(msg, "\n") || !strings.Contains(msg, "lock file "+lock+" is a symbolic link") {
		t.Fatalf("exit %d, stderr %q, want exit 3 and one line naming the lock file\n%s", code, msg, stdout)
	}
}
