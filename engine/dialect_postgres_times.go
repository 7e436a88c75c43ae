package engine

import "context"

// badTimes counts PostgreSQL's values that MySQL has none for: infinite
// dates and timestamps, years before 1 AD or after 9999, and NaN or
// infinite numbers. (A MySQL target is the one that asks.)
func (postgresDialect) badTimes(ctx context.Context, d *DB, t *Table, c *Column, where string) (int64, string, error) {
	q := quotePG(c.Name)
	var cond, what string
	switch c.Family {
	case FamDate, FamDateTime, FamTimestamp:
		cond = "(NOT isfinite(" + q + ") OR EXTRACT(YEAR FROM " + q + ") NOT BETWEEN 1 AND 9999)"
		what = "dates out of range (infinity, -infinity, BC or after 9999)"
	case FamFloat, FamDouble, FamDecimal: // as text: numeric has no infinity before PostgreSQL 14
		cond = q + "::text IN ('NaN', 'Infinity', '-Infinity')"
		what = "NaN or infinite numbers"
	default:
		return 0, "", nil
	}
	if where != "" {
		cond += " AND (" + where + ")"
	}
	var n int64
	err := d.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+quotePG(t.Name)+" WHERE "+cond).Scan(&n)
	return n, what, err
}
