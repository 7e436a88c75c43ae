package console

import (
	"fmt"
	"time"

	"runway/runbook"
)

// orders is the runbook most tests use: three phases with every kind of item
// the console draws differently, risks and emergency procedures.
func orders() *runbook.Runbook {
	hour := runbook.Duration(time.Hour)
	return &runbook.Runbook{
		Version: 1, Name: "orders-split", Title: "Move orders from the legacy MySQL to the new cluster",
		Risks: []runbook.Risk{
			{ID: "RISK-001", Name: "data loss during copy", Probability: runbook.Medium, Impact: runbook.High, Mitigation: "backups and full verify"},
			{ID: "RISK-002", Name: "long read-only window", Probability: runbook.Low, Impact: runbook.Medium, Mitigation: "catch-up converges first"},
			{ID: "RISK-003", Name: "wrong totals after cut-over", Probability: runbook.High, Impact: runbook.High, Mitigation: "compare daily sums"},
		},
		Procedures: []runbook.Procedure{
			{ID: "data-inconsistency", Title: "Data inconsistency", EscalateAfter: hour,
				Steps: []string{"pause the copy", "compare", "locate the cause", "repair", "re-verify"}},
			{ID: "db-down", Title: "New database down", EscalateAfter: runbook.Duration(15 * time.Minute),
				Steps: []string{"switch reads back", "page the DBA"}},
		},
		Phases: []runbook.Phase{
			{
				ID: "preparation", Title: "Preparation", Risk: runbook.Low,
				Expected: runbook.Expected{Text: "1-2w"},
				Items: []runbook.Item{
					{ID: "target-up", Title: "New database reachable", Critical: true,
						Spec: runbook.Spec{SQL: &runbook.SQL{Conn: "new", Query: "SELECT 1", Expect: "1"}}},
					{ID: "backups", Title: "Backups restorable", Critical: true, Instructions: "Restore last night's backup on the spare host and count the orders.",
						Spec: runbook.Spec{Manual: &runbook.Manual{Role: "dba", Expect: "restore test passed", Observe: true}}},
					{ID: "disk", Title: "Disk space on the new host", Spec: runbook.Spec{Command: &runbook.Command{Run: "df -h /var/lib/mysql"}}},
				},
				Rollback:      []runbook.Item{{ID: "drop-new", Title: "Drop copied tables", Spec: runbook.Spec{SQL: &runbook.SQL{Conn: "new", Exec: "DROP TABLE orders"}}}},
				RollbackPoint: "preparation_complete",
			},
			{
				ID: "pilot", Title: "Pilot", Risk: runbook.Medium, Overrides: runbook.OverrideTwoPerson,
				Expected: runbook.Expected{Text: "2d"},
				Items: []runbook.Item{
					{ID: "copy-orders", Title: "Copy pilot orders", Role: "dba",
						Spec: runbook.Spec{Copy: &runbook.Copy{From: "legacy", To: "new", Tables: []string{"orders", "order_lines"}, Rate: 20000}}},
					{ID: "verify-orders", Title: "Verify pilot orders", Critical: true,
						Spec: runbook.Spec{Verify: &runbook.Verify{From: "legacy", To: "new", Tables: []string{"orders"}}}},
					{ID: "smoke", Title: "Pilot merchants see their orders", Spec: runbook.Spec{Manual: &runbook.Manual{Role: "support", Expect: "orders listed"}}},
				},
				Rollback: []runbook.Item{
					{ID: "unroute", Title: "Route pilot merchants back", Spec: runbook.Spec{Command: &runbook.Command{Run: "./route legacy"}}},
					{ID: "truncate", Title: "Truncate pilot rows", Spec: runbook.Spec{SQL: &runbook.SQL{Conn: "new", Exec: "DELETE FROM orders"}}},
				},
			},
			{
				ID: "cutover", Title: "Full migration", Risk: runbook.High, Overrides: runbook.OverrideForbidden,
				Expected: runbook.Expected{Text: "4h"},
				Items: []runbook.Item{
					{ID: "catchup", Title: "Catch up changes", Critical: true,
						Spec: runbook.Spec{Catchup: &runbook.Catchup{From: "legacy", To: "new", LogTable: "change_log", Until: "converged"}}},
					{ID: "switch", Title: "Switch the application", Critical: true, Spec: runbook.Spec{Command: &runbook.Command{Run: "./switch new"}}},
				},
			},
		},
	}
}

// bigRunbook has phases × items command items, for the benchmark.
func bigRunbook(phases, items int) *runbook.Runbook {
	rb := orders()
	rb.Phases = nil
	for p := range phases {
		ph := runbook.Phase{ID: fmt.Sprintf("phase-%d", p+1), Title: fmt.Sprintf("Phase %d", p+1), Risk: runbook.Medium}
		for i := range items {
			ph.Items = append(ph.Items, runbook.Item{
				ID: fmt.Sprintf("item-%03d", i+1), Title: fmt.Sprintf("Check number %d of phase %d", i+1, p+1), Critical: i%7 == 0,
				Spec: runbook.Spec{Command: &runbook.Command{Run: "true"}},
			})
		}
		rb.Phases = append(rb.Phases, ph)
	}
	return rb
}
