package engine

import (
	"context"
	"fmt"
)

// planCascadeStops notes, for an engine that clears moved unique values
// (catch-up, repair; see unique_moves.go), a target table where it would
// stop rather than clear one: deleting the row would cascade through a
// foreign key in force (see cascade_guard.go).
func planCascadeStops(ctx context.Context, dst *DB, tp *TablePlan, opts PreflightOptions) error {
	if !tp.Exists || opts.Engine == PlanCopy || !writes(opts) {
		return nil
	}
	if err := dst.loadUniques(ctx, tp.dt); err != nil {
		return err
	}
	if len(tp.dt.cascades) == 0 || !otherUnique(tp.dt, tp.Key) {
		return nil
	}
	what, ref := "catch-up", tp.dt.cascades[0]
	if opts.Engine == PlanVerify {
		what = "repair"
	}
	tp.Notes = append(tp.Notes, fmt.Sprintf("unique values that move between rows stop the %s: clearing the row that held one would cascade through foreign key %s of %s (ON DELETE %s) because %s",
		what, ref.name, ref.child, ref.action, tp.dt.cascadesWhy))
	return nil
}
