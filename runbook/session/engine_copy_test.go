package session

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"runway/runbook/fold"
)

// copyRunbook copies orders from legacy.db to new.db at rate rows/s.
func copyRunbook(rate int) string {
	return fmt.Sprintf(`
version: 1
name: t
title: test
connections:
  legacy: {driver: sqlite, dsn: "legacy.db"}
  new: {driver: sqlite, dsn: "new.db"}
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: copy-orders, title: Copy orders, critical: true, copy: {from: legacy, to: new, tables: [orders], create: true, rate: %d}}
`, rate)
}

func seedOrders(t *testing.T, dir string, n int) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, "legacy.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stmts := []string{
		`CREATE TABLE orders (id INTEGER PRIMARY KEY, amount TEXT NOT NULL, note TEXT)`,
		fmt.Sprintf(`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM s WHERE i < %d)
			INSERT INTO orders SELECT i, printf('%%d.%%02d', i, i %% 100), 'order ' || i FROM s`, n),
	}
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

func targetRows(t *testing.T, dir string) int {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, "new.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM orders`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// newCopyFixture seeds legacy.db before the session starts.
func newCopyFixture(t *testing.T, rows, rate int) *fixture {
	dir := t.TempDir()
	seedOrders(t, dir, rows)
	return newFixtureIn(t, dir, copyRunbook(rate))
}

func TestCopyItem(t *testing.T) {
	f := newCopyFixture(t, 5000, 0)
	f.refused(PauseEngine{Item: "copy-orders"}, "no engine running")
	f.do(RunPhase{Phase: "one"})
	it := f.item("copy-orders")
	if it.Status != fold.ItemPassed || it.Engine == nil || it.Engine.Result == nil {
		t.Fatalf("copy: %s %q %+v", it.Status, it.Summary, it.Engine)
	}
	if r := it.Engine.Result.Tables; len(r) != 1 || r[0].Rows != 5000 {
		t.Fatalf("copy result %+v", r)
	}
	if !strings.Contains(it.Summary, "5,000 rows") {
		t.Fatalf("summary %q", it.Summary)
	}
	if cp := it.Engine.Checkpoint["orders"]; !cp.Done || cp.Rows != 5000 {
		t.Fatalf("checkpoint %+v", cp)
	}
	if got := targetRows(t, f.dir); got != 5000 {
		t.Fatalf("%d rows on the target", got)
	}
	if !f.has("engine.checkpoint copy-orders") {
		t.Fatalf("no checkpoint events: %v", f.kinds())
	}
	if live := f.sess.Live(); len(live) != 0 {
		t.Fatalf("live progress left after the copy: %+v", live)
	}
}

// A copy closed mid-way is interrupted, and the resumed session continues
// it from the target's checkpoint instead of starting over.
func TestCopyResumesFromCheckpoint(t *testing.T) {
	f := newCopyFixture(t, 20000, 4000)
	if err := f.sess.Do(RunPhase{Phase: "one"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, f.sess, "a committed chunk", func(st fold.State) bool {
		e := st.Item("one", "copy-orders").Engine
		return e != nil && e.Checkpoint["orders"].Rows > 0
	})
	// Live controls act on the running engine without waiting for it.
	for _, a := range []Action{PauseEngine{Item: "copy-orders"}, ResumeEngine{Item: "copy-orders"}, SetRate{Item: "copy-orders", Rate: 3000}} {
		if err := f.sess.Do(a); err != nil {
			t.Fatalf("%s: %v", a.ActionName(), err)
		}
	}
	if err := f.sess.Do(SetRate{Item: "copy-orders", Rate: -1}); err == nil || !strings.Contains(err.Error(), "negative") {
		t.Fatalf("negative rate: %v", err)
	}
	if e := f.state().Item("one", "copy-orders").Engine; e.Rate != 3000 || e.Paused {
		t.Fatalf("engine state %+v", e)
	}
	if err := f.sess.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	it := f.sess.State().Item("one", "copy-orders")
	if it.Status != fold.ItemInterrupted {
		t.Fatalf("copy is %s after close", it.Status)
	}
	before := targetRows(t, f.dir)
	if before == 0 || before >= 20000 {
		t.Fatalf("%d rows copied before the close; want some, not all", before)
	}

	s2, err := Resume(context.Background(), f.log, f.sess.ID(), Options{Operator: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close(context.Background())
	if err := s2.Do(SetRate{Item: "copy-orders", Rate: 0}); err == nil {
		t.Fatal("rate change accepted with no engine running")
	}
	if err := s2.Do(RunPhase{Phase: "one"}); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, s2)
	it = s2.State().Item("one", "copy-orders")
	if it.Status != fold.ItemPassed || targetRows(t, f.dir) != 20000 {
		t.Fatalf("after resume: %s %q, %d rows", it.Status, it.Summary, targetRows(t, f.dir))
	}
	// This run copied only what was left.
	if rows := it.Engine.Result.Tables[0].Rows; rows >= 20000 || rows <= 0 {
		t.Fatalf("the resumed copy copied %d rows; want the rest only", rows)
	}
}
