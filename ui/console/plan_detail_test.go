package console

import (
	"strings"
	"testing"

	"runway/runbook/event"
	"runway/ui/inert"
)

// recordedPlan is a copy's engine.plan with a statement from the database
// that carries an escape, as a hostile column comment could.
func recordedPlan() event.PlanPayload {
	return event.PlanPayload{Engine: "copy", Tables: []event.TablePlan{
		{Table: "orders", Target: "orders", Create: []string{"CREATE TABLE \"orders\" (\n  \"id\" UNSIGNED64 BLOB NOT NULL,\n  \"amount\" DECIMAL TEXT(10,2) NOT NULL,\n  \"memo\" TEXT \x1b[31mred\x1b[0m,\n  PRIMARY KEY (\"id\")\n)"},
			Types: []event.TypeChange{{Column: "id", From: "bigint(20) unsigned", To: "UNSIGNED64 BLOB"}, {Column: "amount", From: "decimal(10,2)", To: "DECIMAL TEXT(10,2)"}}},
		{Table: "order_lines", Target: "order_lines", Exists: true, Fits: true, Triggers: []string{"log_lines (AFTER INSERT)"}},
	}}
}

// TestDetailShowsTheRecordedPlan: the copy item's detail shows, at 80×24
// and by scrolling, each created table's statement, its type translations
// and a table that existed, all inert.
func TestDetailShowsTheRecordedPlan(t *testing.T) {
	f := copying()
	f.emit("alice", event.KindEnginePlan, "pilot", "copy-orders", recordedPlan())
	f.emit("alice", event.KindItemPassed, "pilot", "copy-orders", event.ResultPayload{Attempt: 1, Summary: "copied 250,000 rows"})
	m := newModel(t, f, 80, 24)
	m.phase, m.item = 1, 0 // pilot, copy-orders
	m.clamp()
	if m.selected().item == nil || m.selected().item.ID != "copy-orders" {
		t.Fatal("cannot select copy-orders")
	}
	want := []string{"Tables created", `"amount" DECIMAL TEXT(10,2) NOT NULL`, "type amount: decimal(10,2) → DECIMAL TEXT(10,2)",
		"type id: bigint(20) unsigned → UNSIGNED64 BLOB", "order_lines: exists, columns fit", "triggers: log_lines (AFTER INSERT)"}
	seen := map[string]bool{}
	for i := 0; i < 30; i++ {
		view := m.View()
		if msg := inert.Problem(view, true); msg != "" {
			t.Fatalf("%s in\n%s", msg, view)
		}
		checkSize(t, view, 80, 24)
		for _, w := range want {
			if strings.Contains(view, w) {
				seen[w] = true
			}
		}
		m, _ = press(t, m, "pgdown")
	}
	for _, w := range want {
		if !seen[w] {
			t.Errorf("the detail never shows %q", w)
		}
	}
}
