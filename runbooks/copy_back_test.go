package runbooks

import (
	"testing"

	"runway/runbook"
)

// TestCopyBackPassesChangeLogTriggers: in every template that installs
// change-log triggers, they stay on that connection until decommission, so
// every copy into it (the rollbacks that copy rows back) must allow target
// triggers; otherwise the copy's preflight refuses it when it is needed most.
func TestCopyBackPassesChangeLogTriggers(t *testing.T) {
	want := map[string]int{"mysql-to-postgres.yaml": 3, "log-chasing.yaml": 3}
	for _, name := range Names() {
		rb := load(t, name)
		items := allItems(rb)
		logged := triggeredConns(items)
		backs := 0
		for _, it := range items {
			if it.Copy == nil || !logged[it.Copy.To] {
				continue
			}
			backs++
			if !it.Copy.AllowTargetTriggers {
				t.Errorf("%s: %q copies into %s, which has change-log triggers, without allow_target_triggers", name, it.Title, it.Copy.To)
			}
		}
		if n, ok := want[name]; ok && backs != n {
			t.Errorf("%s: %d copies into a connection with change-log triggers, want %d", name, backs, n)
		}
	}
}

// allItems lists every phase's items and rollback steps.
func allItems(rb *runbook.Runbook) []runbook.Item {
	var items []runbook.Item
	for _, p := range rb.Phases {
		items = append(items, p.Items...)
		items = append(items, p.Rollback...)
	}
	return items
}

// triggeredConns names the connections a catch-up installs triggers on.
func triggeredConns(items []runbook.Item) map[string]bool {
	conns := map[string]bool{}
	for _, it := range items {
		if it.Catchup != nil && it.Catchup.InstallTriggers {
			conns[it.Catchup.From] = true
		}
	}
	return conns
}
