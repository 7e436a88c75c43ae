package session

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"runway/runbook/dlog"
)

func TestOnlyWrittenSQLiteConnectionsAreCreated(t *testing.T) {
	dir := t.TempDir()
	rb := loadRunbook(t, dir, `
version: 1
name: t
connections:
  old: {driver: sqlite, dsn: old.db}
  new: {driver: sqlite, dsn: new.db}
  log: {driver: sqlite, dsn: log.db}
  gone: {driver: sqlite, dsn: no/such/folder.db}
phases:
  - id: p
    title: P
    items:
      - {id: up, title: Up, sql: {conn: old, query: "SELECT 1", expect: "1"}}
      - {id: c, title: C, copy: {from: old, to: new, tables: [a]}}
    rollback:
      - {title: R, wait: {check: {sql: {conn: log, exec: "DELETE FROM x"}}, every: 1s, for: 2s}}
  - id: q
    title: Q
    items:
      - {id: g, title: G, copy: {from: old, to: gone, tables: [a]}}
`, nil)
	pool := newConnPool(rb, dlog.From(context.Background()))
	defer pool.close()
	_, err := pool.get("old")
	if want := "sqlite:" + filepath.Join(dir, "old.db") + ": no such file"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("read-only connection to a missing file: %v, want %q", err, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "old.db")); err == nil {
		t.Error("old.db was created")
	}
	for _, name := range []string{"new", "log"} {
		if _, err := pool.get(name); err != nil {
			t.Errorf("%s, written by the runbook: %v", name, err)
		}
	}
	if _, err := pool.get("gone"); err == nil || !strings.Contains(err.Error(), "no such folder") {
		t.Errorf("target in a missing folder: %v", err)
	}
}
