package report

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"runway/runbook/event"
)

// planSession records a copy whose plan created one table with translated
// types and found another that existed; a statement holds markup and a
// backtick fence, as a hostile column comment could.
func planSession(t *testing.T) string {
	return recordEngines(t, func(a *appender) {
		a.add("alice", event.KindPhaseStarted, "full", "", nil)
		a.add("alice", event.KindItemStarted, "full", "copy-orders", event.StartedPayload{Kind: "copy", Attempt: 1})
		a.add("alice", event.KindEnginePlan, "full", "copy-orders", event.PlanPayload{Engine: "copy", Tables: []event.TablePlan{
			{Table: "orders", Target: "orders", Create: []string{"CREATE TABLE \"orders\" (\n  \"amount\" DECIMAL TEXT(10,2) NOT NULL, -- <b>x</b> ```\n  PRIMARY KEY (\"id\")\n)"},
				Types: []event.TypeChange{{Column: "amount", From: "decimal(10,2)", To: "DECIMAL TEXT(10,2)"}}},
			{Table: "order_lines", Target: "order_lines", Exists: true, Fits: true},
		}})
		a.add("alice", event.KindItemPassed, "full", "copy-orders", event.ResultPayload{Attempt: 1, Summary: "10 rows copied",
			Engine: &event.EngineSummary{Tables: []event.TableSummary{{Table: "orders", Rows: 10}}}})
	})
}

// TestReportShowsTablesCreated: each format of the report has the copy's
// recorded plan under its engine run: the statement, the type translation
// and the table that existed, the database's text inert.
func TestReportShowsTablesCreated(t *testing.T) {
	r, err := Build(context.Background(), planSession(t), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Engines) != 1 || r.Engines[0].Plan == nil {
		t.Fatalf("engines %+v", r.Engines)
	}
	lines := []string{"Tables created", "DECIMAL TEXT(10,2) NOT NULL", "type amount: decimal(10,2) → DECIMAL TEXT(10,2)", "order_lines: exists, columns fit"}
	want := map[string][]string{"md": lines, "html": lines,
		"json": {`"plan"`, "DECIMAL TEXT(10,2) NOT NULL", `"from": "decimal(10,2)"`, `"fits": true`}}
	for _, format := range []string{"md", "html", "json"} {
		var b bytes.Buffer
		if err := r.Write(&b, format); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, w := range want[format] {
			if !strings.Contains(out, w) {
				t.Errorf("%s report lacks %q", format, w)
			}
		}
		if format == "html" && strings.Contains(out, "<b>x</b>") {
			t.Errorf("html report renders the statement's markup")
		}
		if format == "md" && !strings.Contains(out, "````\n") {
			t.Errorf("md report's fence is not longer than the statement's backticks:\n%s", out)
		}
	}
}
