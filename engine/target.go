package engine

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// PrepareTarget makes sure table st of src can be written to dst: it creates
// the table when missing and create is set, and otherwise refuses a missing
// table, columns that do not match (naming them) or a target without a
// unique key on the source key. It returns the target table, and when it
// created the table, the statements that add its secondary indexes, to run
// once the rows are copied (see createStatements).
func PrepareTarget(ctx context.Context, src, dst *DB, st *Table, create bool, remember func(deferred []string) error) (dt *Table, created bool, deferred []string, err error) {
	exists, err := dst.Exists(ctx, st.Name)
	if err != nil {
		return nil, false, nil, err
	}
	if !exists {
		if !create {
			return nil, false, nil, fmt.Errorf("target table %s does not exist in %s (create it, or set create: true / --create)", st.Name, dst)
		}
		if deferred, err = createTable(ctx, src, dst, st, remember); err != nil {
			return nil, false, nil, err
		}
		created = true
	}
	if dt, err = dst.describe(ctx, st.Name); err != nil {
		return nil, created, deferred, err
	}
	if err := matchColumns(st, dt, dst); err != nil {
		return nil, created, deferred, err
	}
	if err := dst.loadUniques(ctx, dt); err != nil {
		return nil, created, deferred, err
	}
	if !hasUnique(dt, st.KeyColumns()) {
		return nil, created, deferred, fmt.Errorf("target table %s in %s has no primary or unique key on (%s), so an upsert cannot find existing rows",
			st.Name, dst, strings.Join(st.KeyColumns(), ", "))
	}
	return dt, created, deferred, nil
}

// createTable creates st's table in dst. remember, when given, is told the
// indexes left for later before the table exists: a run that dies between
// the two would otherwise leave a table that never gets them.
func createTable(ctx context.Context, src, dst *DB, st *Table, remember func([]string) error) ([]string, error) {
	conn, err := dst.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("create table %s in %s: %w", st.Name, dst, err)
	}
	defer conn.Close()
	if set, undo := dst.dialect.createSession(); set != "" {
		if _, err := conn.ExecContext(ctx, set); err != nil {
			return nil, fmt.Errorf("create table %s in %s: %w", st.Name, dst, err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), undo)
	}
	now, deferred := createStatements(ctx, src, dst, st)
	if remember != nil {
		if err := remember(deferred); err != nil {
			return nil, fmt.Errorf("create table %s in %s: %w", st.Name, dst, err)
		}
	}
	for _, q := range now {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("create table %s in %s: %w", st.Name, dst, err)
		}
	}
	return deferred, nil
}

// runDeferred adds the indexes left out when the table was created.
func runDeferred(ctx context.Context, dst *DB, table string, stmts []string) error {
	conn, err := dst.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("add indexes to %s in %s: %w", table, dst, err)
	}
	defer conn.Close()
	if set, undo := dst.dialect.indexSession(); set != "" {
		if _, err := conn.ExecContext(ctx, set); err != nil {
			return fmt.Errorf("add indexes to %s in %s: %w", table, dst, err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), undo)
	}
	for _, q := range stmts {
		_, err := conn.ExecContext(ctx, q)
		if dst.dialect.indexExists(err) {
			err = nil // built by an earlier, interrupted run
		}
		if err != nil {
			return fmt.Errorf("add indexes to %s in %s: %w", table, dst, err)
		}
	}
	return nil
}

// matchColumns refuses a target whose columns differ from the source's.
func matchColumns(st, dt *Table, dst *DB) error {
	var missing, extra, generated []string
	for _, c := range st.Columns {
		if c.Generated {
			continue
		}
		tc := dt.Column(c.Name)
		switch {
		case tc == nil:
			missing = append(missing, c.Name)
		case tc.Generated:
			generated = append(generated, c.Name)
		}
	}
	for _, c := range dt.Columns {
		if c.Generated {
			continue
		}
		if sc := st.Column(c.Name); sc == nil || sc.Generated {
			extra = append(extra, c.Name)
		}
	}
	if len(missing)+len(extra)+len(generated) == 0 {
		return nil
	}
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "missing columns "+strings.Join(missing, ", "))
	}
	if len(extra) > 0 {
		parts = append(parts, "extra columns "+strings.Join(extra, ", "))
	}
	if len(generated) > 0 {
		parts = append(parts, "generated on the target only "+strings.Join(generated, ", "))
	}
	return fmt.Errorf("target table %s in %s does not match the source: %s", dt.Name, dst, strings.Join(parts, "; "))
}

// loadUniques fills t.Unique with every unique key of t (column names),
// and t.cascades with what clearing a moved unique value must know.
func (d *DB) loadUniques(ctx context.Context, t *Table) error {
	t.Unique = nil
	rows, err := d.db.QueryContext(ctx, d.dialect.sql().uniqueKeys, t.Name)
	if err != nil {
		return fmt.Errorf("read keys of %s in %s: %w", t.Name, d, err)
	}
	defer rows.Close()
	keys := map[string][]string{}
	for rows.Next() {
		var name, col string
		if err := rows.Scan(&name, &col); err != nil {
			return fmt.Errorf("read keys of %s in %s: %w", t.Name, d, err)
		}
		keys[name] = append(keys[name], col)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read keys of %s in %s: %w", t.Name, d, err)
	}
	for _, cols := range keys {
		t.Unique = append(t.Unique, cols)
	}
	t.Unique = append(t.Unique, d.dialect.implicitUniques(t)...)
	return d.loadCascades(ctx, t)
}

// hasUnique reports whether one of t's unique keys covers exactly cols.
func hasUnique(t *Table, cols []string) bool {
	want := normSet(cols)
	for _, u := range t.Unique {
		if normSet(u) == want {
			return true
		}
	}
	return false
}

func normSet(cols []string) string {
	s := make([]string, len(cols))
	for i, c := range cols {
		s[i] = strings.ToLower(c)
	}
	sort.Strings(s)
	return strings.Join(s, "\x00")
}
