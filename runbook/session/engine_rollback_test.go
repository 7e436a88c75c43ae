package session

import (
	"testing"

	"runway/runbook/fold"
)

// A copy undone by a rollback must copy again when its phase is re-run: the
// target's checkpoint from before the rollback says "done" and must not count,
// even when the rollback undid only part of it (the target is not empty).
func TestCopyRunsAgainAfterRollback(t *testing.T) {
	dir := t.TempDir()
	seedOrders(t, dir, 3000)
	f := newFixtureIn(t, dir, `
version: 1
name: t
title: test
connections:
  legacy: {driver: sqlite, dsn: "legacy.db"}
  new: {driver: sqlite, dsn: "new.db"}
phases:
  - id: prep
    title: Prep
    risk: low
    expected: 1h
    items:
      - {id: ok, title: Ready, command: {run: "true"}}
    rollback_point: prep_done
  - id: pilot
    title: Pilot
    risk: low
    expected: 1h
    items:
      - {id: copy-orders, title: Copy orders, critical: true, copy: {from: legacy, to: new, tables: [orders], create: true}}
    rollback:
      - {title: Empty the copy, sql: {conn: new, exec: "DELETE FROM orders WHERE id > 1000"}}
`)
	f.do(RunPhase{Phase: "prep"})
	f.idle()
	f.do(RunPhase{Phase: "pilot"})
	f.idle()
	if n := targetRows(t, dir); n != 3000 {
		t.Fatalf("first copy: %d rows, want 3000", n)
	}
	f.do(Rollback{Point: "prep_done"})
	f.idle()
	if n := targetRows(t, dir); n != 1000 {
		t.Fatalf("after rollback: %d rows, want 1000", n)
	}
	if g := f.state().Phases[1].Generation; g != 1 {
		t.Fatalf("pilot generation after rollback = %d, want 1", g)
	}
	f.do(RunPhase{Phase: "pilot"})
	f.idle()
	if it := f.item("copy-orders"); it.Status != fold.ItemPassed {
		t.Fatalf("copy after rollback: %s %q", it.Status, it.Summary)
	}
	if n := targetRows(t, dir); n != 3000 {
		t.Fatalf("copy after rollback: %d rows, want 3000 (the undone checkpoint was reused)", n)
	}
}
