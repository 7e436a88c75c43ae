package engine

import (
	"strings"
	"testing"
)

// Copying SQLite to SQLite attaches the source to the target's connection.
// The target's session settings must not reach the source: the application
// keeps reading and writing that file in WAL mode while the copy runs.
func TestAttachedCopyLeavesSourceJournalMode(t *testing.T) {
	src, dst := openSQLiteT(t, "src"), openSQLiteT(t, "dst")
	execT(t, src, "PRAGMA journal_mode=WAL",
		"CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
		"INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three')")
	var before string
	if err := src.SQL().QueryRow("PRAGMA journal_mode").Scan(&before); err != nil || !strings.EqualFold(before, "wal") {
		t.Fatalf("source journal mode before the copy: %q, %v", before, err)
	}
	copyT(t, src, dst, CopyOptions{Tables: []string{"items"}, Create: true})
	var after string
	if err := src.SQL().QueryRow("PRAGMA journal_mode").Scan(&after); err != nil || !strings.EqualFold(after, "wal") {
		t.Fatalf("source journal mode after the copy: %q, %v (the copy changed the application's file)", after, err)
	}
}
