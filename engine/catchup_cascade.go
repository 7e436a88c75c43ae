package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
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
	t    *catchupTable
	cols []string
}

// addMovedRows adds to g, as deleted keys, the target rows holding one of
// its unique values under another key, which the write deletes (see
// clearUniqueMoves): their referencing rows are then followed too, as for
// any deleted row. Keys of the batch itself are left out.
func (c *catchup) addMovedRows(ctx context.Context, g *gathered) error {
	var inBatch map[*catchupTable]map[string]bool // built when first needed
	var extra []tableWrite
	for _, w := range g.writes {
		if !otherUnique(w.t.dt, w.t.keyNames) {
			continue
		}
		if inBatch == nil {
			inBatch = g.keySet()
		}
		keyCols, ok := columnsOf(w.t.dt, w.t.st.KeyColumns())
		if !ok {
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
	if referenced, err := c.anyReferenced(ctx, conn, g); err != nil || !referenced {
		return err // the usual batch: nothing references its tables
	}
	f := follow{inBatch: g.keySet(), followed: map[*catchupTable]map[string]bool{}}
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

// anyReferenced reports whether a replayed table references one of g's.
func (c *catchup) anyReferenced(ctx context.Context, conn *sql.Conn, g *gathered) (bool, error) {
	for _, w := range g.writes {
		refs, err := c.children(ctx, conn, w.t)
		if err != nil || len(refs) > 0 {
			return err == nil, err
		}
	}
	return false, nil
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

// keySet is the set of source keys g writes, by table.
func (g *gathered) keySet() map[*catchupTable]map[string]bool {
	set := map[*catchupTable]map[string]bool{}
	for _, w := range g.writes {
		for _, k := range w.del {
			mark(set, w.t, k)
		}
		for _, k := range w.rowKeys() {
			mark(set, w.t, k)
		}
	}
	return set
}

// rowKeys are the source keys of the rows w upserts.
func (w tableWrite) rowKeys() [][]Value {
	out := make([][]Value, w.b.Len())
	for r := range out {
		out[r] = make([]Value, len(w.t.shape.keyPos))
		for i, p := range w.t.shape.keyPos {
			out[r][i] = w.b.Value(r, p)
		}
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
	if err != nil || len(refs) == 0 {
		return nil, err
	}
	present := w.rowKeys()
	var out []tableWrite
	for _, ref := range refs {
		ct := ref.t
		keys, err := c.parentsToFollow(ctx, conn, ref, w.del, present)
		if err != nil {
			return nil, err
		}
		moved, err := c.movedChildren(ctx, conn, ref, keys)
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
func (c *catchup) parentsToFollow(ctx context.Context, conn *sql.Conn, ref childRef, deleted, present [][]Value) ([][]Value, error) {
	keys := append([][]Value{}, deleted...)
	if len(present) == 0 {
		return keys, nil
	}
	onTarget, err := countsByParent(ctx, c.dst, nil, ref.t.dt, ref.cols, present)
	if err != nil {
		return nil, err
	}
	onSource, err := countsByParent(ctx, c.src, conn, ref.t.st, ref.cols, present)
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
	byRef, err := keyedByNames(d, t, cols)
	if err != nil {
		return nil, err
	}
	quoted := d.quoteList(cols)
	out := map[string]int64{}
	for rest := parents; len(rest) > 0; {
		n := min(len(rest), 1000)
		q := "SELECT " + quoted + ", COUNT(*) FROM " + d.Quote(t.Name) + " WHERE " + d.KeyIn(byRef, rest[:n]) + " GROUP BY " + quoted
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
	rows, err := queryOn(ctx, d, conn, q)
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
func (c *catchup) movedChildren(ctx context.Context, conn *sql.Conn, ref childRef, parents [][]Value) ([][]Value, error) {
	if len(parents) == 0 {
		return nil, nil
	}
	ct := ref.t
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
		b = strconv.AppendInt(b, int64(len(v.B)), 10)
		b = append(append(b, ':'), v.B...)
	}
	return string(b)
}

// referencingKeys reads from d the keys (src's key columns, by name) of
// table t's rows whose cols hold one of parents, each followed by the
// values of cols.
func referencingKeys(ctx context.Context, d *DB, conn *sql.Conn, t *Table, cols []string, src *Table, parents [][]Value) ([][]Value, error) {
	byRef, err := keyedByNames(d, t, cols)
	if err != nil {
		return nil, err
	}
	keyCols, ok := columnsOf(t, src.KeyColumns())
	if !ok {
		return nil, fmt.Errorf("follow changes to %s in %s: a column of its key is missing", t.Name, d)
	}
	keyCols = append(keyCols, byRef.Key...)
	b := NewBatch(len(keyCols))
	if err := readKeysBatched(ctx, d, conn, byRef, keyCols, parents, b); err != nil {
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

// columnsOf are the indexes in t of the columns named; false if one is
// missing.
func columnsOf(t *Table, names []string) ([]int, bool) {
	out := make([]int, len(names))
	for i, n := range names {
		if out[i] = colIndex(t, n); out[i] < 0 {
			return nil, false
		}
	}
	return out, true
}

// keyedByNames is t with the columns named cols as its key: KeyIn then
// lists values of those columns.
func keyedByNames(d *DB, t *Table, cols []string) (*Table, error) {
	key, ok := columnsOf(t, cols)
	if !ok {
		return nil, fmt.Errorf("follow changes to %s in %s: a column of its foreign key is missing", t.Name, d)
	}
	k := *t
	k.Key = key
	return &k, nil
}

// queryOn runs q on conn, or on d's pool when conn is nil.
func queryOn(ctx context.Context, d *DB, conn *sql.Conn, q string, args ...any) (*sql.Rows, error) {
	if conn != nil {
		return conn.QueryContext(ctx, q, args...)
	}
	return d.db.QueryContext(ctx, q, args...)
}

// children lists, once per table, the source's foreign keys that
// reference t's key from a replayed table, with that table set up. One
// that references other columns is left out (see the README).
func (c *catchup) children(ctx context.Context, conn *sql.Conn, t *catchupTable) ([]childRef, error) {
	if t.childrenRead {
		return t.childRefs, nil
	}
	rows, err := queryOn(ctx, c.src, conn, c.src.dialect.sql().referencing, t.st.Name)
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
		cols, ok := keyRef(t, f.cols, f.ref)
		if !ok {
			continue
		}
		ct, err := c.replayedChild(ctx, f.table)
		if err != nil {
			return nil, err
		}
		if ct != nil {
			t.childRefs = append(t.childRefs, childRef{t: ct, cols: cols})
		}
	}
	t.childrenRead = true
	return t.childRefs, nil
}

// replayedChild sets up a referencing table for the follow-up, or returns
// nil when it is not part of this migration: left out of the tables
// named, neither named nor logged by runway's triggers, missing on the
// target, or without a key to read its rows again by. A table not named
// whose target does not match is left out too: it may be another table
// of the same name.
func (c *catchup) replayedChild(ctx context.Context, table string) (*catchupTable, error) {
	if !c.wanted(table) {
		return nil, nil
	}
	if !c.named(table) {
		logged, err := triggerExists(ctx, c.src, triggerName(table, "ins"))
		if err != nil || !logged {
			return nil, err
		}
	}
	if ok, err := c.dst.Exists(ctx, table); err != nil || !ok {
		return nil, err
	}
	ct, err := c.table(ctx, table)
	switch {
	case errors.Is(err, ErrNoKey), err != nil && !c.named(table):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("follow changes to %s: %w", table, err)
	}
	return ct, nil
}

// keyRef orders a foreign key's child columns cols by t's source key, when
// the key references exactly that key (an SQLite key naming no columns
// references the primary key, in order).
func keyRef(t *catchupTable, cols, refs []string) ([]string, bool) {
	if len(refs) != len(t.st.Key) {
		return nil, false
	}
	out := make([]string, len(refs))
	for i, k := range t.st.Key {
		name, found := t.st.Columns[k].Name, false
		for j, r := range refs {
			if strings.EqualFold(r, name) || r == "" && j == i {
				out[i], found = cols[j], true
			}
		}
		if !found {
			return nil, false
		}
	}
	return out, true
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
