package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// A delete on the source can cascade through its foreign keys to rows of
// other tables (deleted, set to NULL), and MySQL fires no trigger for a
// cascaded change, so the change log holds only the first row. Catch-up
// writes with foreign-key checks off (a batch's tables are written one
// after another, not in the source's order), so the target does not
// cascade either: instead, the rows on the target that reference a
// deleted key are read again from the source, in the same batch, and
// follow the source (deleted, or upserted as they are now), down to their
// own children.

// maxCascadeDepth bounds the tables a delete is followed through.
const maxCascadeDepth = 16

// childRef is a target foreign key that references a replayed table's
// key: cols are the child's columns, in the order of the parent's key.
type childRef struct {
	table string
	cols  []string
}

// followCascades re-reads, into g, the target rows that reference a key g
// deletes, until no further rows are deleted. seen holds the keys of each
// table already in g.
func (c *catchup) followCascades(ctx context.Context, conn *sql.Conn, g *gathered, seen map[*catchupTable]map[string]bool) error {
	frontier := g.writes
	for depth := 0; len(frontier) > 0 && depth < maxCascadeDepth; depth++ {
		var next []tableWrite
		for _, w := range frontier {
			if len(w.del) == 0 {
				continue
			}
			found, err := c.followDeletes(ctx, conn, w, seen)
			if err != nil {
				return err
			}
			for _, f := range found {
				g.add(f)
			}
			next = append(next, found...)
		}
		frontier = next
	}
	return nil
}

// followDeletes re-reads the rows of every table whose foreign key
// references one of w's deleted keys.
func (c *catchup) followDeletes(ctx context.Context, conn *sql.Conn, w tableWrite, seen map[*catchupTable]map[string]bool) ([]tableWrite, error) {
	refs, err := c.children(ctx, w.t)
	if err != nil {
		return nil, err
	}
	var out []tableWrite
	for _, ref := range refs {
		ct, err := c.table(ctx, ref.table)
		if errors.Is(err, ErrNoTable) {
			continue // a table of the target only: nothing on the source to follow
		}
		if err != nil {
			return nil, fmt.Errorf("follow deletes of %s to %s: %w", w.t.dt.Name, ref.table, err)
		}
		keys, err := c.referencingKeys(ctx, ct, ref, w.del)
		if err != nil {
			return nil, err
		}
		if seen[ct] == nil {
			seen[ct] = map[string]bool{}
		}
		var fresh [][]Value
		for _, k := range keys {
			kt := string(ct.keyText(nil, k))
			if !seen[ct][kt] {
				seen[ct][kt] = true
				fresh = append(fresh, k)
			}
		}
		if len(fresh) == 0 {
			continue
		}
		tw, err := c.reread(ctx, conn, ct, fresh)
		if err != nil {
			return nil, err
		}
		out = append(out, tw)
	}
	return out, nil
}

// referencingKeys reads from the target the source keys of ct's rows whose
// ref columns hold one of parents.
func (c *catchup) referencingKeys(ctx context.Context, ct *catchupTable, ref childRef, parents [][]Value) ([][]Value, error) {
	byRef := *ct.dt
	byRef.Key = nil
	for _, name := range ref.cols {
		byRef.Key = append(byRef.Key, colIndex(ct.dt, name))
	}
	var keyCols []int
	for _, k := range ct.st.Key {
		keyCols = append(keyCols, colIndex(ct.dt, ct.st.Columns[k].Name))
	}
	for _, i := range append(append([]int{}, byRef.Key...), keyCols...) {
		if i < 0 {
			return nil, fmt.Errorf("follow deletes to %s: a key column of the source is missing on the target", ct.dt.Name)
		}
	}
	b := NewBatch(len(keyCols))
	if err := readKeysBatched(ctx, c.dst, nil, &byRef, keyCols, parents, b); err != nil {
		return nil, fmt.Errorf("read rows of %s that reference deleted keys: %w", ct.dt.Name, err)
	}
	keys := make([][]Value, b.Len())
	for r := range keys {
		keys[r] = b.Row(nil, r)
	}
	return keys, nil
}

// colIndex is the index of column name in t, ignoring case; -1 if none.
func colIndex(t *Table, name string) int {
	for i := range t.Columns {
		if strings.EqualFold(t.Columns[i].Name, name) {
			return i
		}
	}
	return -1
}

// children lists, once per table, the target's foreign keys that
// reference t's key. One that references other columns cannot be
// followed from a deleted key and is left out.
func (c *catchup) children(ctx context.Context, t *catchupTable) ([]childRef, error) {
	if t.childrenRead {
		return t.childRefs, nil
	}
	rows, err := c.dst.db.QueryContext(ctx, c.dst.dialect.sql().referencing, t.dt.Name)
	if err != nil {
		return nil, fmt.Errorf("read the foreign keys referencing %s in %s: %w", t.dt.Name, c.dst, err)
	}
	defer rows.Close()
	type fk struct {
		table     string
		cols, ref []string
	}
	var fks []*fk
	last := ""
	for rows.Next() {
		var table, name, col, refCol string
		if err := rows.Scan(&table, &name, &col, &refCol); err != nil {
			return nil, fmt.Errorf("read the foreign keys referencing %s in %s: %w", t.dt.Name, c.dst, err)
		}
		if id := table + "\x00" + name; id != last {
			fks, last = append(fks, &fk{table: table}), id
		}
		f := fks[len(fks)-1]
		f.cols, f.ref = append(f.cols, col), append(f.ref, refCol)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the foreign keys referencing %s in %s: %w", t.dt.Name, c.dst, err)
	}
	for _, f := range fks {
		if ref, ok := keyRef(t, f.table, f.cols, f.ref); ok {
			t.childRefs = append(t.childRefs, ref)
		}
	}
	t.childrenRead = true
	return t.childRefs, nil
}

// keyRef orders a foreign key's child columns by t's source key, when
// the key references exactly that key (an SQLite key naming no columns
// references the primary key, in order).
func keyRef(t *catchupTable, table string, cols, refs []string) (childRef, bool) {
	if len(refs) != len(t.st.Key) {
		return childRef{}, false
	}
	ref := childRef{table: table, cols: make([]string, len(refs))}
	for i, k := range t.st.Key {
		name, found := t.st.Columns[k].Name, false
		for j, r := range refs {
			if strings.EqualFold(r, name) || r == "" && j == i {
				ref.cols[i], found = cols[j], true
			}
		}
		if !found {
			return childRef{}, false
		}
	}
	return ref, true
}
