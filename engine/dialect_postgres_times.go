package engine

import "context"

// badTimes counts PostgreSQL's dates and timestamps that MySQL has no
// value for: infinity, -infinity, and years before 1 AD or after 9999.
// (time has no such values; a MySQL target is the one that asks.)
func (postgresDialect) badTimes(ctx context.Context, d *DB, t *Table, c *Column, where string) (int64, string, error) {
	switch c.Family {
	case FamDate, FamDateTime, FamTimestamp:
	default:
		return 0, "", nil
	}
	q := quotePG(c.Name)
	cond := "(NOT isfinite(" + q + ") OR EXTRACT(YEAR FROM " + q + ") NOT BETWEEN 1 AND 9999)"
	if where != "" {
		cond += " AND (" + where + ")"
	}
	var n int64
	err := d.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+quotePG(t.Name)+" WHERE "+cond).Scan(&n)
	return n, "dates out of range (infinity, -infinity, BC or after 9999)", err
}
