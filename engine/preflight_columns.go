package engine

import (
	"context"
	"fmt"
)

// columnProblems adds a problem for every copied column whose values cannot
// reach a target of another kind of database exactly: a type without an
// equivalent there, one the target cannot hold, and dates or times the
// target refuses (MySQL's zero dates, TIMEs beyond a day; PostgreSQL's
// infinite and BC dates), with their count.
func columnProblems(ctx context.Context, src, dst *DB, tp *TablePlan, opts PreflightOptions, p *Plan) error {
	if tp.st == nil || !writes(opts) || sameDialect(src, dst) {
		return nil
	}
	for _, i := range tp.st.Copied() {
		c := tp.st.Columns[i]
		if c.Family == FamOther {
			p.problem(tp.Name, c.Name, "%s.%s is %s, which has no equivalent in %s: runway copies such a column only to the same kind of database; leave it out or convert it first",
				tp.Name, c.Name, c.Type, dst.Driver())
			continue
		}
		if why := dst.dialect.cannotHold(c); why != "" {
			p.problem(tp.Name, c.Name, "%s.%s is %s: %s", tp.Name, c.Name, c.Type, why)
			continue
		}
		if !dst.dialect.strictTimes() && !dst.dialect.boundedTimes() {
			continue
		}
		n, what, err := src.dialect.badTimes(ctx, src, tp.st, &c, opts.Where)
		if err != nil {
			return fmt.Errorf("check %s.%s in %s: %w", tp.Name, c.Name, src, err)
		}
		if n > 0 {
			p.problem(tp.Name, c.Name, "%s.%s holds %d %s, which %s refuses: fix or clear them on the source first",
				tp.Name, c.Name, n, what, dst.Driver())
		}
	}
	return nil
}
