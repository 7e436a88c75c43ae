package engine

import (
	"context"
	"strings"
)

// planTarget checks the target table of a found source table: it exists
// and fits (columns, types, a unique key on the source key), or, for a
// copy that may create it, the statements that would.
func planTarget(ctx context.Context, src, dst *DB, tp *TablePlan, opts PreflightOptions, p *Plan) error {
	e, err := lookupTable(ctx, dst, tp.Name)
	if err != nil {
		return err
	}
	if e != nil && e.kind == otherSpelling {
		e = nil // a MySQL target with case-sensitive names: the copy creates the name as given
	}
	if e != nil && e.kind != "BASE TABLE" && e.kind != "SYSTEM VERSIONED" {
		p.problem(tp.Name, "", "the target %s is %s", qualified(ctx, dst, e.name), notBaseTable(e.kind, false))
		return nil
	}
	if e == nil {
		return planMissingTarget(ctx, src, dst, tp, opts, p)
	}
	dt, err := dst.describe(ctx, e.name)
	if err != nil {
		return err
	}
	tp.Exists, tp.dt, tp.TargetName = true, dt, dt.Name
	before := len(p.Problems)
	if err := matchColumns(tp.st, dt, dst); err != nil {
		p.problem(tp.Name, "", "%s", err.Error())
	} else {
		typeProblems(src, dst, tp, p)
		if err := dst.dialect.ownTypeProblems(ctx, src, dst, tp, false, p); err != nil {
			return err
		}
	}
	if opts.Engine != PlanVerify { // a repair deletes and inserts by the source's key
		if err := dst.loadUniques(ctx, dt); err != nil {
			return err
		}
		if !hasUnique(dt, tp.Key) {
			p.problem(tp.Name, "", "target table %s in %s has no primary or unique key on (%s), so an upsert cannot find existing rows; add one",
				dt.Name, dst, strings.Join(tp.Key, ", "))
		}
	}
	tp.Compatible = len(p.Problems) == before
	return nil
}

// planMissingTarget handles a target table that does not exist: a copy
// with create shows what it would create, anything else is a problem.
func planMissingTarget(ctx context.Context, src, dst *DB, tp *TablePlan, opts PreflightOptions, p *Plan) error {
	if opts.Engine != PlanCopy {
		p.problem(tp.Name, "", "target table %s does not exist in %s: copy it first", tp.Name, dst)
		return nil
	}
	if !opts.Create {
		p.problem(tp.Name, "", "target table %s does not exist in %s (create it, or set create: true / --create)", tp.Name, dst)
		return nil
	}
	if err := dst.dialect.ownTypeProblems(ctx, src, dst, tp, true, p); err != nil {
		return err
	}
	tp.Create, tp.Deferred = createStatements(ctx, src, dst, tp.st)
	tp.Notes = append(tp.Notes, carryNotes(src, dst, tp.st)...)
	return nil
}

// writes reports whether the engine writes rows into the target tables.
func writes(opts PreflightOptions) bool {
	return opts.Engine != PlanVerify || opts.Repair
}
