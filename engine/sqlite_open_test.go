package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSQLiteSourceIsNeverCreated(t *testing.T) {
	dir := t.TempDir()
	have := filepath.Join(dir, "have.db")
	execT(t, mustOpen(t, have), "CREATE TABLE a (id INTEGER PRIMARY KEY)", "INSERT INTO a VALUES (7)")
	for _, raw := range []string{"sqlite:" + have, "sqlite:" + have + "?_pragma=foreign_keys(1)",
		"sqlite:file:" + have, "sqlite:file:" + have + "?mode=ro"} {
		db, err := OpenSourceURL(raw)
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		var n int
		if err := db.SQL().QueryRow("SELECT id FROM a").Scan(&n); err != nil || n != 7 {
			t.Errorf("%s: read %d, %v", raw, n, err)
		}
		db.Close()
	}
	typo := filepath.Join(dir, "typo.db")
	for _, raw := range []string{"sqlite:" + typo, "sqlite:file:" + typo + "?_pragma=busy_timeout(1)"} {
		if _, err := OpenSourceURL(raw); err == nil || err.Error() != "sqlite:"+typo+": no such file" {
			t.Errorf("%s: %v", raw, err)
		}
	}
	if _, err := os.Stat(typo); err == nil {
		t.Fatal("a source was created")
	}
	if _, err := OpenURL("sqlite:" + filepath.Join(dir, "no", "x.db")); err == nil || !strings.Contains(err.Error(), "no such folder") {
		t.Errorf("target in a missing folder: %v", err)
	}
}

func mustOpen(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(SQLite, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
