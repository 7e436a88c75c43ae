package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// catalogEntry is what a catalog says about a name: its spelling there,
// its kind (BASE TABLE, VIEW, SEQUENCE…) and the server's row estimate.
type catalogEntry struct {
	name, kind string
	rows       int64 // -1 unknown
}

// planSource checks the source table: it exists, is a base table, has a
// key, and the row filter applies to it. It reports false when the table
// cannot be planned further.
func planSource(ctx context.Context, src *DB, tp *TablePlan, opts PreflightOptions, p *Plan) (bool, error) {
	e, err := lookupTable(ctx, src, tp.Name)
	if err != nil {
		return false, err
	}
	switch {
	case e == nil:
		p.problemIs(ErrNoTable, tp.Name, "%s does not exist in %s", tp.Name, src)
		return false, nil
	case e.kind == otherSpelling:
		p.problemIs(ErrNoTable, tp.Name, "%s does not exist in %s, whose table names are case-sensitive (did you mean %s?)", tp.Name, src, e.name)
		return false, nil
	case e.kind == "VIEW" || e.kind == "SYSTEM VIEW":
		p.problem(tp.Name, "", "%s is a view, not a base table: copy its base tables", qualified(ctx, src, e.name))
		return false, nil
	case e.kind != "BASE TABLE" && e.kind != "SYSTEM VERSIONED":
		p.problem(tp.Name, "", "%s is a %s, not a base table", qualified(ctx, src, e.name), strings.ToLower(e.kind))
		return false, nil
	}
	st, err := src.Table(ctx, e.name)
	if errors.Is(err, ErrNoKey) {
		p.problemIs(ErrNoKey, tp.Name, "%s has no primary key and no unique key over NOT NULL columns: runway needs one to order and identify its rows; add one", qualified(ctx, src, e.name))
		return false, nil
	}
	if err != nil {
		return false, err
	}
	tp.Found, tp.st, tp.Rows = true, st, e.rows
	tp.Key, tp.KeyName = st.KeyColumns(), st.KeyName
	if tp.Rows < 0 {
		tp.Rows = estimateSQLiteRows(ctx, src, st)
	}
	if opts.Where != "" {
		q := "SELECT 1 FROM " + src.Quote(st.Name) + " WHERE (" + opts.Where + ") LIMIT 0"
		if rows, err := src.db.QueryContext(ctx, q); err != nil {
			if Transient(err) {
				return false, err
			}
			p.problem(tp.Name, "", "the where filter does not apply to %s: %s", tp.Name, shortErr(err))
		} else {
			rows.Close()
		}
	}
	return true, nil
}

// lookupTable finds a table or view by name: the exact spelling first, else
// one differing only in case where the database ignores case. nil when
// there is none.
func lookupTable(ctx context.Context, d *DB, name string) (*catalogEntry, error) {
	var q string
	if d.driver == MySQL {
		q = `SELECT TABLE_NAME, TABLE_TYPE, COALESCE(TABLE_ROWS, -1) FROM information_schema.TABLES
			WHERE TABLE_SCHEMA = DATABASE() AND LOWER(TABLE_NAME) = LOWER(?)`
	} else {
		q = `SELECT name, CASE type WHEN 'view' THEN 'VIEW' ELSE 'BASE TABLE' END, -1 FROM sqlite_master
			WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE`
	}
	rows, err := d.db.QueryContext(ctx, q, name)
	if err != nil {
		return nil, fmt.Errorf("look up table %s in %s: %w", name, d, err)
	}
	defer rows.Close()
	var found []catalogEntry
	for rows.Next() {
		var e catalogEntry
		if err := rows.Scan(&e.name, &e.kind, &e.rows); err != nil {
			return nil, fmt.Errorf("look up table %s in %s: %w", name, d, err)
		}
		found = append(found, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("look up table %s in %s: %w", name, d, err)
	}
	for i := range found {
		if found[i].name == name {
			return &found[i], nil
		}
	}
	if len(found) == 0 {
		return nil, nil
	}
	if d.driver == SQLite {
		return &found[0], nil
	}
	var lower int
	if err := d.db.QueryRowContext(ctx, "SELECT @@lower_case_table_names").Scan(&lower); err != nil {
		return nil, fmt.Errorf("read lower_case_table_names of %s: %w", d, err)
	}
	if lower != 0 {
		return &found[0], nil
	}
	// Names are case-sensitive here: another spelling is another table,
	// returned as such for the problem to mention.
	return &catalogEntry{name: found[0].name, kind: otherSpelling}, nil
}

// otherSpelling marks a catalog entry that is not the table asked for but
// one whose name differs only in case.
const otherSpelling = "other spelling"

// qualified names a table the way its database's users do: shop.orders on
// MySQL, orders in sqlite:/path on SQLite.
func qualified(ctx context.Context, d *DB, table string) string {
	if d.driver == MySQL {
		var schema string
		if d.db.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&schema) == nil && schema != "" {
			return schema + "." + table
		}
	}
	return table + " in " + d.String()
}

// estimateSQLiteRows guesses the rows of a SQLite table from its rowid
// range, which costs two index lookups where COUNT(*) reads the table;
// -1 for a table without rowid.
func estimateSQLiteRows(ctx context.Context, d *DB, t *Table) int64 {
	if d.driver != SQLite {
		return -1
	}
	var n int64
	err := d.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(rowid) - MIN(rowid) + 1, 0) FROM "+d.Quote(t.Name)).Scan(&n)
	if err != nil {
		return -1
	}
	return n
}
