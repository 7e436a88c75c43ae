package session

import (
	"database/sql"
	"encoding/json"
	"strings"
	"testing"

	_ "github.com/go-sql-driver/mysql"

	"runway/engine/enginetest"
	"runway/runbook/event"
)

// planOf is the payload of the copy item's engine.plan event in the log.
func (f *fixture) planOf(item string) event.PlanPayload {
	f.t.Helper()
	for _, e := range f.events() {
		if e.Kind == event.KindEnginePlan && e.Item == item {
			return event.Decode[event.PlanPayload](e.Payload)
		}
	}
	f.t.Fatalf("no engine.plan for %s: %v", item, f.kinds())
	return event.PlanPayload{}
}

// TestCopyItemRecordsCreatedTable: the plan a copy acted on, with the
// statement that created its target, is in the audit log and the fold.
func TestCopyItemRecordsCreatedTable(t *testing.T) {
	f := newCopyFixture(t, 10, 0)
	f.do(RunPhase{Phase: "one"})
	p := f.planOf("copy-orders")
	if len(p.Tables) != 1 || p.Tables[0].Exists || len(p.Tables[0].Create) == 0 ||
		!strings.Contains(p.Tables[0].Create[0], "CREATE TABLE") || !strings.Contains(p.Tables[0].Create[0], "amount") {
		t.Fatalf("plan %+v", p)
	}
	if len(p.Tables[0].Types) != 0 {
		t.Fatalf("SQLite to SQLite keeps the source's types, got %+v", p.Tables[0].Types)
	}
	if it := f.item("copy-orders"); it.Engine == nil || it.Engine.Plan == nil || it.Engine.Plan.Tables[0].Create[0] != p.Tables[0].Create[0] {
		t.Fatalf("fold: %+v", it.Engine)
	}
}

const mysqlToSQLiteRunbook = `
version: 1
name: t
title: test
connections:
  legacy: {driver: mysql, dsn: "${SRC_DSN}"}
  new: {driver: sqlite, dsn: "new.db"}
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: copy-orders, title: Copy orders, critical: true, copy: {from: legacy, to: new, tables: [orders], create: true}}
`

// TestCopyItemRecordsTypeTranslations: a MySQL table created in SQLite
// records each column whose type changed on the way, and no part of the
// source's DSN.
func TestCopyItemRecordsTypeTranslations(t *testing.T) {
	dsn, _ := enginetest.MySQLPrefixed(t, "rw_planrecord_")
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE orders (id BIGINT UNSIGNED PRIMARY KEY, amount DECIMAL(10,2) NOT NULL, note VARCHAR(40))"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO orders VALUES (1, 9.50, 'first')"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	f := newFixtureFor(t, dir, loadRunbook(t, dir, mysqlToSQLiteRunbook, map[string]string{"SRC_DSN": dsn}))
	f.do(RunPhase{Phase: "one"})
	p := f.planOf("copy-orders")
	if len(p.Tables) != 1 || len(p.Tables[0].Create) == 0 {
		t.Fatalf("plan %+v", p)
	}
	types := map[string]event.TypeChange{}
	for _, c := range p.Tables[0].Types {
		types[c.Column] = c
	}
	if c := types["amount"]; !strings.EqualFold(c.From, "decimal(10,2)") || c.To != "DECIMAL TEXT(10,2)" {
		t.Errorf("amount: %+v (all: %+v)", c, p.Tables[0].Types)
	}
	if c := types["id"]; c.To == "" {
		t.Errorf("id: no translation recorded (all: %+v)", p.Tables[0].Types)
	}
	raw, _ := json.Marshal(p)
	for _, s := range []string{dsn, "tcp(", "rw_planrecord_"} {
		if strings.Contains(string(raw), s) {
			t.Errorf("plan holds %q: %s", s, raw)
		}
	}
}
