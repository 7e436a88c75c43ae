package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"runway/runbook/audit"
	"runway/runbooks"
	"runway/ui/internal/termtest"
)

// runway runs the binary in dir with stdin, and returns its output and exit status.
func runway(t *testing.T, dir, stdin string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, termtest.Binary(t), args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &exit) && ctx.Err() == nil:
		return out.String(), exit.ExitCode()
	}
	t.Fatalf("runway %s: %v\n%s", strings.Join(args, " "), err, out.String())
	return "", -1
}

// Sign-offs of the demo runbook, in order, as plain mode asks them on stdin.
const (
	signBackups = "y\n"
	signPilot   = "y\nopened orders 5, 10 and 15 in both admins: same amounts, statuses and notes\n"
	signFinance = "y\n"
	signGoNoGo  = "y\n"
	signArchive = "y\n"
)

// TestDemoPlainToTheEnd drives the demo in line mode: a first run that ends
// for want of an answer at the pilot sign-off, a second `runway demo` that
// resumes it and goes to the end, then the audit log's chain and the data on
// both sides are checked, and a third `runway demo` rebuilds the folder from
// scratch since the demo there has finished.
func TestDemoPlainToTheEnd(t *testing.T) {
	endToEnd(t)
	work := t.TempDir()
	out, code := runway(t, work, signBackups, "demo", "--plain", "--dir", "shop")
	if code != 1 {
		t.Fatalf("first run: exit %d, want 1 (no answer for the pilot sign-off)\n%s", code, out)
	}
	for _, want := range []string{"Built shop", "preparation", "pilot-signoff", "continue it with: runway demo --dir shop"} {
		if !strings.Contains(out, want) {
			t.Errorf("first run output lacks %q\n%s", want, out)
		}
	}

	out, code = runway(t, work, signPilot+signFinance+signGoNoGo+signArchive, "demo", "--plain", "--dir", "shop")
	if code != 0 {
		t.Fatalf("second run: exit %d, want 0\n%s", code, out)
	}
	if !strings.Contains(out, "Resuming the unfinished demo session") {
		t.Errorf("second run did not resume the unfinished session\n%s", out)
	}
	for _, want := range []string{"catchup", "drain", "verify-all", "decommission", "Demo finished"} {
		if !strings.Contains(out, want) {
			t.Errorf("second run output lacks %q\n%s", want, out)
		}
	}

	shop := filepath.Join(work, "shop")
	if out, code := runway(t, work, "", "verify-log", filepath.Join(shop, "runway.db")); code != 0 {
		t.Errorf("verify-log: exit %d\n%s", code, out)
	}
	legacy, fresh := filepath.Join(shop, "legacy.db"), filepath.Join(shop, "new.db")
	for _, table := range []string{"merchants", "users", "orders"} {
		a, b := tableDigest(t, legacy, table), tableDigest(t, fresh, table)
		if a != b {
			t.Errorf("%s differs after the migration: legacy %s, new %s", table, a, b)
		}
	}
	if n := count(t, legacy, "SELECT COUNT(*) FROM change_log"); n == 0 {
		t.Error("the background writer made no change during the session")
	}
	for _, f := range []string{"READONLY", "active-database", "legacy-retired"} {
		if _, err := os.Stat(filepath.Join(shop, f)); err != nil {
			t.Errorf("step file %s: %v", f, err)
		}
	}

	// A finished demo is rebuilt from scratch by the next run, which starts a
	// new session (here it stops at once: no answer for the first sign-off).
	out, code = runway(t, work, "", "demo", "--plain", "--dir", "shop")
	if code != 1 || !strings.Contains(out, "Built shop") || strings.Contains(out, "Resuming") {
		t.Fatalf("run after a finished demo: exit %d, want 1 after a rebuild\n%s", code, out)
	}
	for _, f := range []string{"new.db", "READONLY", "active-database", "legacy-retired"} {
		if _, err := os.Stat(filepath.Join(shop, f)); err == nil {
			t.Errorf("%s survived the rebuild", f)
		}
	}
	log, err := audit.OpenReadOnly(filepath.Join(shop, "runway.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	if sessions, err := log.Sessions(context.Background()); err != nil || len(sessions) != 1 {
		t.Errorf("the rebuilt audit log holds %d sessions (%v), want 1: the old log is gone", len(sessions), err)
	}

	// An edited demo.yaml survives a rebuild; --rebuild restores the shipped one.
	book := filepath.Join(shop, "demo.yaml")
	editRunbook(t, book, "title: Preparation", "title: Getting ready")
	if out, code := runway(t, work, "", "demo", "--build-only", "--dir", "shop"); code != 0 || !strings.Contains(out, "Keeping your edited") {
		t.Errorf("build-only with an edited runbook: exit %d\n%s", code, out)
	}
	if b, _ := os.ReadFile(book); !strings.Contains(string(b), "title: Getting ready") {
		t.Error("the rebuild lost the operator's edit of demo.yaml")
	}
	if out, code := runway(t, work, "", "demo", "--build-only", "--rebuild", "--dir", "shop"); code != 0 {
		t.Errorf("--rebuild: exit %d\n%s", code, out)
	}
	if b, _ := os.ReadFile(book); !bytes.Equal(b, shippedDemo(t)) {
		t.Error("--rebuild did not restore the shipped demo.yaml")
	}
}

func shippedDemo(t *testing.T) []byte {
	t.Helper()
	b, err := runbooks.FS.ReadFile("demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func openDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t *testing.T, path, q string) int {
	t.Helper()
	var n int
	if err := openDB(t, path).QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s on %s: %v", q, filepath.Base(path), err)
	}
	return n
}

// tableDigest hashes a table's rows in key order, each value with its Go
// type, so a NULL, an empty blob or a rounded amount would all show.
func tableDigest(t *testing.T, path, table string) string {
	t.Helper()
	rows, err := openDB(t, path).Query("SELECT * FROM " + table + " ORDER BY id")
	if err != nil {
		t.Fatalf("read %s from %s: %v", table, filepath.Base(path), err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals, ptrs := make([]any, len(cols)), make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	h, n := sha256.New(), 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			fmt.Fprintf(h, "%T:%v|", v, v)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d rows %s", n, hex.EncodeToString(h.Sum(nil))[:16])
}
