//go:build unix

package session

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestResumeRefusesAForeignLockFile: in a folder others may write, the
// session's lock file name is planted as a symbolic link or a second hard
// link to someone's file. Resume refuses in one line naming the lock file,
// and the file it pointed at keeps its content.
func TestResumeRefusesAForeignLockFile(t *testing.T) {
	for _, tc := range []struct {
		name  string
		plant func(victim, lock string) error
		want  string
	}{
		{"symlink", os.Symlink, "is a symbolic link"},
		{"hard link", os.Link, "is a file with 2 names (hard links)"},
		{"fifo", func(_, lock string) error { return mkfifo(lock) }, "is not a regular file"},
		{"another user's file", func(_, lock string) error {
			if os.Geteuid() != 0 {
				return errSkip
			}
			if err := os.WriteFile(lock, nil, 0o666); err != nil {
				return err
			}
			return os.Chown(lock, 4242, 4242)
		}, "is owned by uid 4242, neither you nor the audit log's owner"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, longRunbook)
			if err := f.sess.Close(context.Background()); err != nil {
				t.Fatal(err)
			}
			victim := filepath.Join(t.TempDir(), "victim.txt")
			if err := os.WriteFile(victim, []byte("precious\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			lock := claimFile(f.log.Path(), f.sess.ID())
			if err := tc.plant(victim, lock); errors.Is(err, errSkip) {
				t.Skip("needs root to make a file another user owns")
			} else if err != nil {
				t.Fatal(err)
			}
			s, err := Resume(context.Background(), f.log, f.sess.ID(), Options{Operator: "root", Host: "test"})
			if err == nil {
				s.Close(context.Background())
				t.Fatal("resume drove with a planted lock file")
			}
			msg := err.Error()
			if !strings.Contains(msg, "lock file "+lock+" "+tc.want) || strings.Contains(msg, "\n") {
				t.Errorf("err = %q, want one line naming %s with %q", msg, lock, tc.want)
			}
			if b, _ := os.ReadFile(victim); string(b) != "precious\n" {
				t.Errorf("the planted link's target was written: %q", b)
			}
		})
	}
}

func mkfifo(path string) error { return syscall.Mkfifo(path, 0o600) }

var errSkip = errors.New("skip")
