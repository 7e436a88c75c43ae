package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLogUnderASecondNameRefused: a session's lock file and -wal are named
// after the path runway was given, so a second hard link to the log let a
// second process drive the same session, and a symbolic link made runway
// look for a -wal SQLite had put beside the target. Both are refused in one
// line naming the path, exit 3, before anything is written or run.
func TestLogUnderASecondNameRefused(t *testing.T) {
	s := startWalGone(t)
	s.crash(t)
	if err := os.WriteFile(filepath.Join(s.dir, "go"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	before, err := logged(s.db)
	if err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(s.dir, "other.db")
	if err := os.Link(s.db, other); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(s.dir, "link.db")
	if err := os.Symlink(s.db, link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{other, "it has 2 names (hard links)"},
		{s.db, "it has 2 names (hard links)"},
		{link, "it is a symbolic link to " + s.db},
	} {
		if tc.path == link {
			os.Remove(other) // one name again; only the symbolic link is in question
		}
		code, stdout, stderr := runway(t, s.dir, nil, "--audit", tc.path, "--operator", "bob", "resume", "--plain")
		msg := strings.TrimSpace(stderr)
		if code != 3 || strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "runway: audit log "+tc.path+" cannot be written: "+tc.want) {
			t.Fatalf("resume --audit %s: exit %d, stderr %q, want exit 3 and one line with %q\n%s", tc.path, code, msg, tc.want, stdout)
		}
		if _, err := os.Stat(filepath.Join(s.dir, "ran.txt")); err == nil {
			t.Fatalf("an item ran through %s", tc.path)
		}
	}
	after, err := logged(s.db)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Errorf("the refused resumes wrote to the log:\n%s", strings.Join(after[len(before):], "\n"))
	}
	// Under its one name, the session resumes.
	if code, stdout, stderr := runway(t, s.dir, nil, "--audit", s.db, "--operator", "bob", "resume", "--plain"); code != 0 {
		t.Fatalf("resume under the log's own name: exit %d\n%s%s", code, stdout, stderr)
	}
}
