package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// A change on the source can cascade through its foreign keys to rows of
// other tables (a delete that deletes or sets NULL, a key update that
// updates), and MySQL fires no trigger for a cascaded change, so the change
// log holds only the first row. Catch-up writes with foreign-key checks off
// (a batch's tables are written one after another, not in the source's
// order), so the target does not cascade either. Instead, for every logged
// key of a table that other tables reference on the source, the
// referencing rows are looked up on both sides: those that reference it on
// one side only are read again from the source and written as they are
// there, down to their own children. Rows that reference it on both sides
// did not move; their own changes are in the log.

// maxCascadeDepth bounds the tables a change is followed through.
const maxCascadeDepth = 16

// childRef is a source foreign key that references a replayed table's
// key: cols are the child's columns, in the order of the parent's key.
type childRef struct {
	table string
	cols  []string
}

// addMovedRows adds to g, as deleted keys, the target rows holding one of
// its unique values under another key, which the write deletes (see
// clearUniqueMoves): their referencing rows are then followed too, as for
// any deleted row. Keys of the batch itself are left out.
func (c *catchup) addMovedRows(ctx context.Context, g *gathered) error {
	inBatch := map[*catchupTable]map[string]bool{}
	for _, w := range g.writes {
		for _, k := range w.keys() {
			mark(inBatch, w.t, k)
		}
	}
	var extra []tableWrite
	for _, w := range g.writes {
		if !otherUnique(w.t.dt, w.t.keyNames) {
			continue
		}
		var keyCols []int
		for _, k := range w.t.st.Key {
			keyCols = append(keyCols, colIndex(w.t.dt, w.t.st.Columns[k].Name))
		}
		if slices.Contains(keyCols, -1) {
			continue
		}
		keys, err := c.dst.movedKeys(ctx, w.t.dt, w.t.colNames, w.t.keyNames, w.b, keyCols)
		if err != nil {
			return err
		}
		var stale [][]Value
		for _, k := range keys {
			if mark(inBatch, w.t, k) {
				stale = append(stale, k)
			}
		}
		if len(stale) > 0 {
			extra = append(extra, tableWrite{t: w.t, b: NewBatch(len(w.t.cols)), del: stale})
		}
	}
	for _, e := range extra {
		g.add(e)
	}
	return nil
}

// followCascades adds to g the rows that reference one of g's keys on one
// side only, until no more are found. It runs when the batch is about to
// be written, after every earlier batch is committed, so the target is
// read as the batch will find it.
func (c *catchup) followCascades(ctx context.Context, conn *sql.Conn, g *gathered) error {
	inBatch := map[*catchupTable]map[string]bool{}
	for _, w := range g.writes {
		for _, k := range w.keys() {
			mark(inBatch, w.t, k)
		}
	}
	f := follow{inBatch: inBatch, followed: map[*catchupTable]map[string]bool{}}
	frontier := g.writes
	for depth := 0; len(frontier) > 0 && depth < maxCascadeDepth; depth++ {
		var next []tableWrite
		for _, w := range frontier {
			found, err := c.followKeys(ctx, conn, w, &f)
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
	g.ordered = g.ordered || f.again
	return nil
}

// follow is what one batch's follow-up has read: the batch's own keys, and
// the keys it read again. A key of the batch that turns out to have moved
// is read again too (the batch's copy may predate the cascade), and its
// fresher copy is written after the first (again).
type follow struct {
	inBatch, followed map[*catchupTable]map[string]bool
	again             bool
}

// mark records key k of t as part of the batch; false if it was already.
func mark(seen map[*catchupTable]map[string]bool, t *catchupTable, k []Value) bool {
	if seen[t] == nil {
		seen[t] = map[string]bool{}
	}
	kt := string(t.keyText(nil, k))
	if seen[t][kt] {
		return false
	}
	seen[t][kt] = true
	return true
}

// keys are the source keys w writes: its rows' and its deletes'.
func (w tableWrite) keys() [][]Value {
	out := append([][]Value{}, w.del...)
	for r := 0; r < w.b.Len(); r++ {
		k := make([]Value, len(w.t.shape.keyPos))
		for i, p := range w.t.shape.keyPos {
			k[i] = w.b.Value(r, p)
		}
		out = append(out, k)
	}
	return out
}

// followKeys reads again the rows of every table that references one of
// w's keys on one side only.
func (c *catchup) followKeys(ctx context.Context, conn *sql.Conn, w tableWrite, f *follow) ([]tableWrite, error) {
	if len(w.del) == 0 && w.b.Len() == 0 {
		return nil, nil
	}
	refs, err := c.children(ctx, conn, w.t)
	if err != nil {
		return nil, err
	}
	var out []tableWrite
	for _, ref := range refs {
		ct, err := c.table(ctx, ref.table)
		if errors.Is(err, ErrNoKey) || err != nil && !c.named(ref.table) {
			continue // rows without a key cannot be read again by one; a table not named may differ on the target
		}
		if err != nil {
			return nil, fmt.Errorf("follow changes of %s to %s: %w", w.t.st.Name, ref.table, err)
		}
		keys, err := c.parentsToFollow(ctx, conn, ct, ref, w)
		if err != nil {
			return nil, err
		}
		moved, err := c.movedChildren(ctx, conn, ct, ref, keys)
		if err != nil {
			return nil, err
		}
		var fresh [][]Value
		for _, k := range moved {
			if mark(f.followed, ct, k) {
				fresh = append(fresh, k)
				f.again = f.again || f.inBatch[ct][string(ct.keyText(nil, k))]
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

// parentsToFollow are the keys of w whose referencing rows in ct are read
// on both sides: every deleted key, and the keys still there whose number
// of referencing rows differs between the sides. A parent updated in
// place, the usual change, keeps its children: counting them first spares
// reading them all in every batch that logs a busy parent. (A swap that
// keeps every count is missed; see the README.)
func (c *catchup) parentsToFollow(ctx context.Context, conn *sql.Conn, ct *catchupTable, ref childRef, w tableWrite) ([][]Value, error) {
	keys := append([][]Value{}, w.del...)
	present := w.keys()[len(w.del):]
	if len(present) == 0 {
		return keys, nil
	}
	onTarget, err := countsByParent(ctx, c.dst, nil, ct.dt, ref.cols, present)
	if err != nil {
		return nil, err
	}
	onSource, err := countsByParent(ctx, c.src, conn, ct.st, ref.cols, present)
	if err != nil {
		return nil, err
	}
	for _, k := range present {
		if kt := valuesText(k); onTarget[kt] != onSource[kt] {
			keys = append(keys, k)
		}
	}
	return keys, nil
}

// countsByParent counts t's rows by the values of cols, for the parents.
func countsByParent(ctx context.Context, d *DB, conn *sql.Conn, t *Table, cols []string, parents [][]Value) (map[string]int64, error) {
	byRef := *t
	byRef.Key = nil
	for _, name := range cols {
		if i := colIndex(t, name); i >= 0 {
			byRef.Key = append(byRef.Key, i)
		}
	}
	if len(byRef.Key) != len(cols) {
		return nil, fmt.Errorf("follow changes to %s in %s: a column of its foreign key is missing", t.Name, d)
	}
	quoted := d.quoteList(cols)
	out := map[string]int64{}
	for rest := parents; len(rest) > 0; {
		n := min(len(rest), 1000)
		q := "SELECT " + quoted + ", COUNT(*) FROM " + d.Quote(t.Name) + " WHERE " + d.KeyIn(&byRef, rest[:n]) + " GROUP BY " + quoted
		if err := countInto(ctx, d, conn, q, len(cols), out); err != nil {
			return nil, fmt.Errorf("count the rows of %s that reference changed keys in %s: %w", t.Name, d, err)
		}
		rest = rest[n:]
	}
	return out, nil
}

// countInto runs q, whose rows are n values and a count, adding the counts
// to out by the values' text.
func countInto(ctx context.Context, d *DB, conn *sql.Conn, q string, n int, out map[string]int64) error {
	var rows *sql.Rows
	var err error
	if conn != nil {
		rows, err = conn.QueryContext(ctx, q)
	} else {
		rows, err = d.db.QueryContext(ctx, q)
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	raw := make([]sql.RawBytes, n)
	var count int64
	dest := make([]any, n+1)
	for i := range raw {
		dest[i] = &raw[i]
	}
	dest[n] = &count
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		vs := make([]Value, n)
		for i, r := range raw {
			vs[i] = Value{B: r}
		}
		out[valuesText(vs)] += count
	}
	return rows.Err()
}

// movedChildren are the source keys of ct's rows that reference one of
// parents on one side, and on the other side are missing or reference
// another parent (keys swapped by ON UPDATE CASCADE).
func (c *catchup) movedChildren(ctx context.Context, conn *sql.Conn, ct *catchupTable, ref childRef, parents [][]Value) ([][]Value, error) {
	if len(parents) == 0 {
		return nil, nil
	}
	if c.opts.followed != nil {
		c.opts.followed(ct.st.Name, len(parents))
	}
	onTarget, err := referencingKeys(ctx, c.dst, nil, ct.dt, ref.cols, ct.st, parents)
	if err != nil {
		return nil, err
	}
	onSource, err := referencingKeys(ctx, c.src, conn, ct.st, ref.cols, ct.st, parents)
	if err != nil {
		return nil, err
	}
	nk := len(ct.st.Key)
	refs := map[string]string{} // child key → the parent it references on the target
	keys := map[string][]Value{}
	for _, row := range onTarget {
		kt := string(ct.keyText(nil, row[:nk]))
		refs[kt], keys[kt] = valuesText(row[nk:]), row[:nk]
	}
	var out [][]Value
	for _, row := range onSource {
		kt := string(ct.keyText(nil, row[:nk]))
		onBoth := false
		if r, ok := refs[kt]; ok {
			onBoth = r == valuesText(row[nk:])
			delete(keys, kt)
		}
		if !onBoth {
			out = append(out, row[:nk])
		}
	}
	for _, k := range keys { // referenced a parent on the target only
		out = append(out, k)
	}
	return out, nil
}

// valuesText joins values' bytes, length-prefixed, to compare them.
func valuesText(vs []Value) string {
	var b []byte
	for _, v := range vs {
		b = append(b, fmt.Sprint(len(v.B), ":")...)
		b = append(b, v.B...)
	}
	return string(b)
}

// referencingKeys reads from d the keys (src's key columns, by name) of
// table t's rows whose cols hold one of parents, each followed by the
// values of cols.
func referencingKeys(ctx context.Context, d *DB, conn *sql.Conn, t *Table, cols []string, src *Table, parents [][]Value) ([][]Value, error) {
	byRef := *t
	byRef.Key = nil
	for _, name := range cols {
		byRef.Key = append(byRef.Key, colIndex(t, name))
	}
	var keyCols []int
	for _, k := range src.Key {
		keyCols = append(keyCols, colIndex(t, src.Columns[k].Name))
	}
	keyCols = append(keyCols, byRef.Key...)
	for _, i := range keyCols {
		if i < 0 {
			return nil, fmt.Errorf("follow changes to %s in %s: a column of its key or foreign key is missing", t.Name, d)
		}
	}
	b := NewBatch(len(keyCols))
	if err := readKeysBatched(ctx, d, conn, &byRef, keyCols, parents, b); err != nil {
		return nil, fmt.Errorf("read the rows of %s that reference changed keys: %w", t.Name, err)
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

// children lists, once per table, the source's foreign keys that
// reference t's key from a replayed table. One that references other
// columns is left out (see the README).
func (c *catchup) children(ctx context.Context, conn *sql.Conn, t *catchupTable) ([]childRef, error) {
	if t.childrenRead {
		return t.childRefs, nil
	}
	var q interface {
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	} = c.src.db
	if conn != nil {
		q = conn
	}
	rows, err := q.QueryContext(ctx, c.src.dialect.sql().referencing, t.st.Name)
	if err != nil {
		return nil, fmt.Errorf("read the foreign keys referencing %s in %s: %w", t.st.Name, c.src, err)
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
			return nil, fmt.Errorf("read the foreign keys referencing %s in %s: %w", t.st.Name, c.src, err)
		}
		if id := table + "\x00" + name; id != last {
			fks, last = append(fks, &fk{table: table}), id
		}
		f := fks[len(fks)-1]
		f.cols, f.ref = append(f.cols, col), append(f.ref, refCol)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the foreign keys referencing %s in %s: %w", t.st.Name, c.src, err)
	}
	rows.Close()
	for _, f := range fks {
		if !c.wanted(f.table) {
			continue // not replayed: the user left it out
		}
		if !c.named(f.table) {
			logged, err := triggerExists(ctx, c.src, triggerName(f.table, "ins"))
			if err != nil {
				return nil, err
			}
			if !logged {
				continue // neither named nor logged: not part of this migration
			}
		}
		if ok, err := c.dst.Exists(ctx, f.table); err != nil || !ok {
			if err != nil {
				return nil, err
			}
			continue // not on the target: not migrated
		}
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

// named reports whether table is one of the tables the catch-up was given.
func (c *catchup) named(table string) bool {
	for _, t := range c.opts.Tables {
		if strings.EqualFold(t, table) {
			return true
		}
	}
	return false
}
