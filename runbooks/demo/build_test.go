package demo

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// small is a shape quick enough for the race detector that still holds
// every kind of value the full demo does.
var small = Shape{Merchants: 40, Users: 300, Orders: 3000, Seed: 7}

func build(t *testing.T, dir string, sh Shape) Layout {
	t.Helper()
	l := At(dir)
	if err := Build(context.Background(), l, sh, []byte("version: 1\n")); err != nil {
		t.Fatal(err)
	}
	return l
}

func open(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t *testing.T, db *sql.DB, q string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestBuildShape(t *testing.T) {
	l := build(t, t.TempDir(), small)
	db := open(t, l.Legacy)
	for q, want := range map[string]int{
		"SELECT COUNT(*) FROM merchants":                          40,
		"SELECT COUNT(*) FROM users":                              300,
		"SELECT COUNT(*) FROM orders":                             3000,
		"SELECT COUNT(*) FROM merchants WHERE tier = 'pilot'":     8,
		"SELECT COUNT(*) FROM merchants WHERE wave = 2":           4,
		"SELECT COUNT(*) FROM change_log":                         0, // history is not a change
		"SELECT COUNT(*) FROM sqlite_master WHERE type='trigger'": 3,
	} {
		if got := count(t, db, q); got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}
	// Every kind of awkward value is there.
	for _, q := range []string{
		"SELECT COUNT(*) FROM orders WHERE note IS NULL",
		"SELECT COUNT(*) FROM orders WHERE note = ''",
		"SELECT COUNT(*) FROM orders WHERE note LIKE '%🚚%'",
		"SELECT COUNT(*) FROM orders WHERE note LIKE '%' || char(10) || '%'",
		"SELECT COUNT(*) FROM orders WHERE payload IS NULL",
		"SELECT COUNT(*) FROM orders WHERE typeof(payload) = 'blob' AND length(payload) = 0",
		"SELECT COUNT(*) FROM orders WHERE typeof(payload) = 'blob' AND instr(payload, x'00') > 0",
		"SELECT COUNT(*) FROM orders WHERE amount >= 1000",
		"SELECT COUNT(*) FROM users WHERE phone IS NULL",
		"SELECT COUNT(*) FROM users WHERE name LIKE '%ł%' OR name LIKE '%ö%' OR name LIKE '%ç%'",
		"SELECT COUNT(*) FROM orders WHERE merchant_id IN (SELECT id FROM merchants WHERE tier = 'pilot')",
	} {
		if got := count(t, db, q); got == 0 {
			t.Errorf("%s = 0, want some", q)
		}
	}
	// Amounts keep exactly two decimals and timestamps carry microseconds.
	if n := count(t, db, "SELECT COUNT(*) FROM orders WHERE abs(amount*100 - round(amount*100)) > 1e-6 OR typeof(amount) NOT IN ('integer', 'real')"); n != 0 {
		t.Errorf("%d amounts with more than two decimals", n)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM orders WHERE length(created_at) != 26 OR length(updated_at) != 26 OR updated_at < created_at"); n != 0 {
		t.Errorf("%d orders with malformed timestamps", n)
	}
	var mode string
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	if b, err := os.ReadFile(l.Runbook); err != nil || string(b) != "version: 1\n" {
		t.Errorf("runbook = %q, %v", b, err)
	}
}

// digest hashes every row of every table in key order, storage classes included.
func digest(t *testing.T, path string) string {
	t.Helper()
	db := open(t, path)
	h := sha256.New()
	for _, table := range []string{"merchants", "users", "orders"} {
		rows, err := db.Query("SELECT * FROM " + table + " ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				fmt.Fprintf(h, "%T:%v|", v, v)
			}
			h.Write([]byte{'\n'})
		}
		rows.Close()
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestBuildIsDeterministic(t *testing.T) {
	a := build(t, t.TempDir(), small)
	b := build(t, t.TempDir(), small)
	if da, db := digest(t, a.Legacy), digest(t, b.Legacy); da != db {
		t.Errorf("same seed, different data: %s vs %s", da, db)
	}
	other := small
	other.Seed++
	c := build(t, t.TempDir(), other)
	if digest(t, a.Legacy) == digest(t, c.Legacy) {
		t.Error("a different seed gave the same data")
	}
}

func TestRebuildLeavesNothingStale(t *testing.T) {
	dir := t.TempDir()
	l := build(t, dir, small)
	for _, stale := range []string{l.New, l.ReadOnly, l.Audit, l.Legacy + "-wal"} {
		if err := os.WriteFile(stale, []byte("stale"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l = build(t, dir, small)
	for _, p := range []string{l.New, l.ReadOnly, l.Audit} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s survived a rebuild", filepath.Base(p))
		}
	}
	if got := count(t, open(t, l.Legacy), "SELECT COUNT(*) FROM orders"); got != small.Orders {
		t.Errorf("orders after rebuild = %d, want %d", got, small.Orders)
	}
}

func TestCleanRefusesForeignFolder(t *testing.T) {
	dir := t.TempDir()
	keep := filepath.Join(dir, "legacy.db")
	if err := os.WriteFile(keep, []byte("someone's data"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Build(context.Background(), At(dir), small, nil)
	if err == nil || !strings.Contains(err.Error(), "holds no runway demo") {
		t.Fatalf("Build in a foreign folder: %v", err)
	}
	if b, _ := os.ReadFile(keep); string(b) != "someone's data" {
		t.Error("a file in a foreign folder was touched")
	}
}

func BenchmarkBuildDefault(b *testing.B) {
	for b.Loop() {
		if err := Build(context.Background(), At(b.TempDir()), DefaultShape, nil); err != nil {
			b.Fatal(err)
		}
	}
}
