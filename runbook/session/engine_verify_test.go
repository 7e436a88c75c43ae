package session

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"runway/runbook/fold"

	_ "modernc.org/sqlite"
)

// engineRunbook drives verify, compare and catch-up items through the
// executor on two SQLite files: triggers, copy, planted differences, a
// failing verify, a repairing verify, compares on both sides of their
// thresholds, a drain after more changes, and the triggers' removal.
const engineRunbook = `
version: 1
name: engines
title: Verify, compare and catch-up through the executor
owner: test
connections:
  legacy: {driver: sqlite, dsn: legacy.db}
  new:    {driver: sqlite, dsn: new.db}
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - id: triggers
        title: Change-log triggers
        catchup: {from: legacy, to: new, log_table: change_log, tables: [orders], install_triggers: true, until: drained}
      - {id: copy, title: Copy, copy: {from: legacy, to: new, tables: [orders]}}
      - {id: plant, title: Plant differences, sql: {conn: new, exec: "UPDATE orders SET amount = amount + 1 WHERE id IN (3, 4)"}}
      - {id: plant2, title: Plant a missing row, sql: {conn: new, exec: "DELETE FROM orders WHERE id = 7"}}
      - {id: verify, title: Verify, verify: {from: legacy, to: new, tables: [orders]}}
      - {id: compare-ok, title: Compare loosely, compare: {old: {conn: legacy, query: "SELECT id, amount FROM orders"}, new: {conn: new, query: "SELECT id, amount FROM orders"}, key: [id], min_match: 0.9}}
      - {id: compare-bad, title: Compare strictly, compare: {old: {conn: legacy, query: "SELECT id, amount FROM orders"}, new: {conn: new, query: "SELECT id, amount FROM orders"}, key: [id], min_match: 1.0, critical_below: 0.99}}
      - {id: repair, title: Verify and repair, verify: {from: legacy, to: new, tables: [orders], repair: true}}
      - {id: change, title: Change the legacy side, sql: {conn: legacy, exec: "DELETE FROM orders WHERE id <= 5"}}
      - {id: drain, title: Drain, catchup: {from: legacy, to: new, log_table: change_log, tables: [orders], until: drained}}
      - {id: verify-all, title: Verify again, critical: true, verify: {from: legacy, to: new, tables: [orders], sample: 50%}}
      - {id: untrigger, title: Remove the triggers, catchup: {from: legacy, to: new, log_table: change_log, remove_triggers: true}}
`

func TestEngineItemsThroughTheExecutor(t *testing.T) {
	dir := t.TempDir()
	schema := "CREATE TABLE orders (id INTEGER PRIMARY KEY, amount DECIMAL(10,2) NOT NULL, note TEXT)"
	var rows []string
	for i := 1; i <= 200; i++ {
		rows = append(rows, fmt.Sprintf("(%d, '%d.50', 'order %d')", i, i, i))
	}
	for name, stmts := range map[string][]string{
		"legacy.db": {schema, "INSERT INTO orders VALUES " + strings.Join(rows, ",")},
		"new.db":    {schema},
	} {
		db, err := sql.Open("sqlite", filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range stmts {
			if _, err := db.Exec(s); err != nil {
				t.Fatal(err)
			}
		}
		db.Close()
	}
	f := newFixtureIn(t, dir, engineRunbook)
	f.do(RunPhase{Phase: "one"})
	// The compare below critical_below holds the phase, although the item is not critical.
	if st := f.state(); st.Stop == nil || st.Stop.Item != "compare-bad" {
		t.Fatalf("stop rule: %+v", st.Stop)
	}
	f.do(Override{Item: "compare-bad", Reason: "the repair follows"})
	f.do(RunPhase{Phase: "one"})
	st := f.state()
	want := map[string]fold.ItemStatus{
		"triggers": fold.ItemPassed, "copy": fold.ItemPassed, "plant": fold.ItemPassed, "plant2": fold.ItemPassed,
		"verify": fold.ItemFailed, "compare-ok": fold.ItemPassed, "compare-bad": fold.ItemOverridden, "repair": fold.ItemPassed,
		"change": fold.ItemPassed, "drain": fold.ItemPassed, "verify-all": fold.ItemPassed, "untrigger": fold.ItemPassed,
	}
	for id, w := range want {
		it := st.Item("one", id)
		if it == nil || it.Status != w {
			got := "absent"
			if it != nil {
				got = fmt.Sprintf("%s: %s", it.Status, it.Summary)
			}
			t.Errorf("item %s: %s, want %s", id, got, w)
		}
	}
	if it := st.Item("one", "triggers"); it != nil && !strings.Contains(it.Summary, "3 triggers installed") {
		t.Errorf("triggers: %q", it.Summary)
	}
	v := st.Item("one", "verify")
	if v == nil || v.Engine == nil || v.Engine.Result == nil {
		t.Fatalf("verify has no result: %+v", v)
	}
	r := v.Engine.Result
	if r.DiffCount != 3 || len(r.Differences) != 3 || r.MatchRate == nil || *r.MatchRate != 197.0/200 ||
		!strings.Contains(v.Summary, "3 differences in orders (1 missing, 0 extra, 2 different)") {
		t.Errorf("verify: %q, %+v", v.Summary, r)
	}
	if d := r.Differences[0]; d.Type != "different" || strings.Join(d.Key, ",") != "3" || strings.Join(d.Columns, ",") != "amount" {
		t.Errorf("first difference %+v", d)
	}
	if c := st.Item("one", "compare-bad"); c == nil || !strings.Contains(c.Summary, "below the critical 99%") {
		t.Errorf("compare below critical_below: %+v", c)
	}
	if c := st.Item("one", "compare-ok"); c == nil || !strings.Contains(c.Summary, "197 of 200 rows match") {
		t.Errorf("compare: %+v", c)
	}
	if rp := st.Item("one", "repair"); rp == nil || rp.Engine == nil || rp.Engine.Result == nil || rp.Engine.Result.Repaired != 3 ||
		!strings.Contains(rp.Summary, "3 rows repaired, 0 differences remaining") {
		t.Errorf("repair: %+v", rp)
	} else {
		var got []string
		for _, c := range rp.Engine.Result.Repairs {
			got = append(got, c.Type+" "+strings.Join(c.Key, ","))
		}
		if len(got) != 3 || !strings.HasPrefix(got[0], "updated ") && !strings.HasPrefix(got[0], "inserted ") {
			t.Errorf("the repair's changes in its verdict: %q, want the 3 keys it wrote", got)
		}
	}
	if d := st.Item("one", "drain"); d == nil || !strings.Contains(d.Summary, "drained: 5 changes applied (0 re-read and written, 5 deleted)") {
		t.Errorf("drain: %+v", d)
	}
	if va := st.Item("one", "verify-all"); va == nil || va.Engine == nil || va.Engine.Result == nil || !strings.Contains(va.Engine.Result.Sampled, "sampled") {
		t.Errorf("sampled verify: %+v", va)
	}
	if u := st.Item("one", "untrigger"); u == nil || !strings.Contains(u.Summary, "removed 3 change-log triggers") {
		t.Errorf("remove triggers: %+v", u)
	}
}
