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
		p.problem(tp.Name, "", "%s is %s", qualified(ctx, src, e.name), notBaseTable(e.kind, true))
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

// notBaseTable says what a relation of kind is, that is not a base table:
// a partition names its parent, which a source copy reads instead.
func notBaseTable(kind string, source bool) string {
	parent, ok := strings.CutPrefix(kind, "PARTITION OF ")
	switch {
	case ok && source:
		return fmt.Sprintf("a partition of %s, not a base table: copy %s, which holds every partition's rows", parent, parent)
	case ok:
		return fmt.Sprintf("a partition of %s, not a base table", parent)
	}
	return fmt.Sprintf("a %s, not a base table", strings.ToLower(kind))
}

// lookupTable finds a table or view by name: the exact spelling first, else
// one differing only in case where the database ignores case. nil when
// there is none.
func lookupTable(ctx context.Context, d *DB, name string) (*catalogEntry, error) {
	rows, err := d.db.QueryContext(ctx, d.dialect.sql().lookupTable, name)
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
	folds, err := d.dialect.foldsCase(ctx, d)
	if err != nil {
		return nil, err
	}
	if folds != "" {
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
	if schema := d.dialect.schema(ctx, d); schema != "" {
		return schema + "." + table
	}
	return table + " in " + d.String()
}

// estimateSQLiteRows guesses the rows of a SQLite table from its rowid
// range, which costs two index lookups where COUNT(*) reads the table;
// -1 for a table without rowid.
func estimateSQLiteRows(ctx context.Context, d *DB, t *Table) int64 {
	return d.dialect.rowidEstimate(ctx, d, t)
}
