package runbooks

import (
	"testing"

	"runway/runbook"
)

// TestCopyBackPassesChangeLogTriggers: in the MySQL to PostgreSQL template
// the change-log triggers stay on legacy until decommission, so every
// rollback that copies rows back into legacy must allow target triggers;
// otherwise the copy's preflight refuses it when it is needed most.
func TestCopyBackPassesChangeLogTriggers(t *testing.T) {
	rb := load(t, "mysql-to-postgres.yaml")
	backs := 0
	for _, p := range rb.Phases {
		for _, it := range append(append([]runbook.Item{}, p.Items...), p.Rollback...) {
			if it.Copy == nil || it.Copy.To != "legacy" {
				continue
			}
			backs++
			if !it.Copy.AllowTargetTriggers {
				t.Errorf("phase %s: %q copies into legacy without allow_target_triggers", p.ID, it.Title)
			}
		}
	}
	if backs != 3 {
		t.Errorf("%d copies back into legacy, want 3", backs)
	}
}
