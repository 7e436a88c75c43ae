package session

import (
	"database/sql"
	"os"
	"path/filepath"
	"runway/runbook/fold"
	"strings"
	"testing"
)

// A copy item whose preflight finds problems fails before any write, with
// one problem per output line; the target file is not even created.
func TestCopyItemRefusedByPreflight(t *testing.T) {
	dir := t.TempDir()
	seedOrders(t, dir, 10)
	db, err := sql.Open("sqlite", filepath.Join(dir, "legacy.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"CREATE VIEW v_orders AS SELECT * FROM orders", "CREATE TABLE notes (v TEXT)"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	rb := strings.Replace(copyRunbook(0), "tables: [orders]", "tables: [orders, v_orders, notes]", 1)
	f := newFixtureIn(t, dir, rb)
	f.do(RunPhase{Phase: "one"})
	it := f.item("copy-orders")
	if it.Status != fold.ItemFailed {
		t.Fatalf("copy: %s %q", it.Status, it.Summary)
	}
	lines := strings.Split(it.Output, "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "v_orders in sqlite:") || !strings.Contains(lines[0], "is a view, not a base table") ||
		!strings.Contains(lines[1], "notes in sqlite:") || !strings.Contains(lines[1], "has no primary key") {
		t.Errorf("output should hold the two problems, one a line:\n%s", it.Output)
	}
	if !strings.Contains(it.Summary, "copy refused before any write (2 problems)") {
		t.Errorf("summary %q", it.Summary)
	}
	if _, err := os.Stat(filepath.Join(dir, "new.db")); !os.IsNotExist(err) {
		t.Errorf("the refused copy created new.db: %v", err)
	}
}
