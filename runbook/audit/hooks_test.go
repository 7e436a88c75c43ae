package audit

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"testing"
)

// limitPages caps the file at its current size, as a full disk would.
func (l *Log) limitPages(t *testing.T) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var n int64
	ctx := context.Background()
	if err := l.w.conn.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if _, err := l.w.conn.ExecContext(ctx, `PRAGMA max_page_count = `+strconv.FormatInt(n, 10)); err != nil {
		t.Fatal(err)
	}
}

// makeReadOnly makes paths unwritable: chmod for ordinary users, and the
// immutable attribute as well for root, whom permission bits do not stop.
// It skips the test if that is not possible here.
func makeReadOnly(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		mode := fi.Mode().Perm() &^ 0o222
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(p, fi.Mode().Perm()) })
		if os.Geteuid() != 0 {
			continue
		}
		if out, err := exec.Command("chattr", "+i", p).CombinedOutput(); err != nil {
			t.Skipf("running as root and cannot make %s immutable: %v %s", p, err, out)
		}
		t.Cleanup(func() { exec.Command("chattr", "-i", p).Run() })
	}
}

// writerPragma reads a pragma on the writer connection.
func (l *Log) writerPragma(t *testing.T, name string) string {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var v string
	if err := l.w.conn.QueryRowContext(context.Background(), `PRAGMA `+name).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
