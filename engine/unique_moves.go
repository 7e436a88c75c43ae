package engine

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// A value of a unique key other than the row key can move between rows on
// a live source: a username given up by one account and taken by another.
// Catch-up and repair write rows by their key, in batches not in the
// source's order, so the row taking the value can arrive while the target
// still holds it on the row that gave it up. MySQL's upsert would then
// update that stale row and drop the new one without a word; PostgreSQL
// and SQLite would refuse the batch. So before a batch is written, the
// target rows holding one of its unique values under another key are
// deleted. Each such row changed on the source after it was written (its
// value moved), so its change is in the log and it is written again; and
// within a repair it is one of the differences being repaired.

// clearUniqueMoves deletes, in tx, the rows of t that hold under a unique
// key other than keyNames a value that a row of b holds under another key.
// names are t's columns as b holds them. Where such a delete would cascade
// to other rows (see cascade_guard.go), or would lose a row the source o
// still has as it is (see unique_collide.go), it fails: the caller's
// transaction, rolled back, then clears nothing. It returns how many rows
// it deleted.
func (d *DB) clearUniqueMoves(ctx context.Context, tx *sql.Tx, t *Table, names, keyNames []string, b *Batch, o moveOrigin) (int64, error) {
	var cleared int64
	err := d.eachMove(t, names, keyNames, b, func(uk []string, where string) error {
		held, err := d.heldRows(ctx, tx, t, append(append([]string{}, keyNames...), uk...), where)
		if err != nil || len(held) == 0 {
			return err
		}
		if len(t.cascades) > 0 {
			return d.movedCascade(t, names, keyNames, uk, held[0], b)
		}
		if err := d.refuseCollisions(ctx, t, keyNames, uk, held, o); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM "+d.Quote(t.Name)+" WHERE "+where)
		if err != nil {
			return fmt.Errorf("clear unique values (%s) taken by other rows of %s in %s: %w", strings.Join(uk, ", "), t.Name, d, err)
		}
		n, _ := res.RowsAffected()
		cleared += n
		return nil
	})
	return cleared, err
}

// heldRows reads in tx cols, as text, of the rows of t matching where: a
// batch's deletes, already made in tx, are not among them.
func (d *DB) heldRows(ctx context.Context, tx *sql.Tx, t *Table, cols []string, where string) ([][]string, error) {
	rows, err := tx.QueryContext(ctx, "SELECT "+d.quoteList(cols)+" FROM "+d.Quote(t.Name)+" WHERE "+where)
	if err != nil {
		return nil, fmt.Errorf("read the rows of %s in %s holding moved unique values: %w", t.Name, d, err)
	}
	defer rows.Close()
	var out [][]string
	vals := make([]sql.NullString, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("read the rows of %s in %s holding moved unique values: %w", t.Name, d, err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = v.String
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// eachMove calls f with each condition that selects rows of t holding one
// of b's values, under a unique key other than keyNames, under another
// key: per unique key whose columns b holds, 500 rows of b at a time.
func (d *DB) eachMove(t *Table, names, keyNames []string, b *Batch, f func(uk []string, where string) error) error {
	keyPos, ok := positions(names, keyNames)
	if !ok || b.Len() == 0 {
		return nil
	}
	for _, uk := range t.Unique {
		if normSet(uk) == normSet(keyNames) {
			continue
		}
		ukPos, ok := positions(names, uk)
		if !ok {
			continue // a column not written: its values cannot move here
		}
		for _, where := range d.movesWhere(t, names, keyPos, ukPos, b) {
			if err := f(uk, where); err != nil {
				return err
			}
		}
	}
	return nil
}

// movesWhere are the conditions, for 500 rows of b at a time, that select
// the rows holding one of b's values of the unique key at ukPos under a key
// other than the row's own (at keyPos).
func (d *DB) movesWhere(t *Table, names []string, keyPos, ukPos []int, b *Batch) []string {
	byValue := keyedBy(t, names, ukPos, nil)
	byPair := keyedBy(t, names, keyPos, ukPos)
	var values, pairs [][]Value
	for r := 0; r < b.Len(); r++ {
		v, p := rowValues(b, r, ukPos, nil), rowValues(b, r, keyPos, ukPos)
		if hasNull(v) {
			continue // NULL never meets another value in a unique key
		}
		values, pairs = append(values, v), append(pairs, p)
	}
	var out []string
	for len(values) > 0 {
		n := min(len(values), 500)
		out = append(out, d.KeyIn(byValue, values[:n])+" AND NOT ("+d.KeyIn(byPair, pairs[:n])+")")
		values, pairs = values[n:], pairs[n:]
	}
	return out
}

// movedKeys reads the keys, as the columns keyCols of t, of the rows that
// clearUniqueMoves would delete for b.
func (d *DB) movedKeys(ctx context.Context, t *Table, names, keyNames []string, b *Batch, keyCols []int) ([][]Value, error) {
	var keys [][]Value
	err := d.eachMove(t, names, keyNames, b, func(_ []string, where string) error {
		found := NewBatch(len(keyCols))
		var more bool
		q := "SELECT " + d.selectList(t, keyCols) + " FROM " + d.Quote(t.Name) + " WHERE " + where
		if err := d.query(ctx, nil, q, t, keyCols, found, 0, &more); err != nil {
			return fmt.Errorf("read the rows of %s in %s holding moved unique values: %w", t.Name, d, err)
		}
		for r := 0; r < found.Len(); r++ {
			keys = append(keys, found.Row(nil, r))
		}
		return nil
	})
	return keys, err
}

// keyedBy is t with the columns names[pos], then names[more], as its key:
// KeyIn then lists values of those columns. names are t's own.
func keyedBy(t *Table, names []string, pos, more []int) *Table {
	var cols []string
	for _, p := range append(append([]int{}, pos...), more...) {
		cols = append(cols, names[p])
	}
	k := *t
	k.Key, _ = columnsOf(t, cols)
	return &k
}

func rowValues(b *Batch, r int, pos, more []int) []Value {
	var out []Value
	for _, p := range append(append([]int{}, pos...), more...) {
		out = append(out, b.Value(r, p))
	}
	return out
}

func hasNull(vs []Value) bool {
	for _, v := range vs {
		if v.Kind == KindNull {
			return true
		}
	}
	return false
}

// positions finds each of cols among names, ignoring case.
func positions(names, cols []string) ([]int, bool) {
	out := make([]int, len(cols))
	for i, c := range cols {
		out[i] = -1
		for j, n := range names {
			if strings.EqualFold(n, c) {
				out[i] = j
			}
		}
		if out[i] < 0 {
			return nil, false
		}
	}
	return out, true
}

// checkLanded fails when a row of b is not on the target under its key
// after b was written in tx. A unique key runway cannot compare in SQL (on
// a generated column, or a MySQL prefix) met another row, and MySQL's
// upsert updated that row instead: stopping keeps the loss from passing
// for a drained catch-up or a clean repair.
func (d *DB) checkLanded(ctx context.Context, tx *sql.Tx, t *Table, names, keyNames []string, b *Batch) error {
	keyPos, ok := positions(names, keyNames)
	if !ok || b.Len() == 0 || !otherUnique(t, keyNames) {
		return nil
	}
	byKey := keyedBy(t, names, keyPos, nil)
	keys := make([][]Value, b.Len())
	for r := range keys {
		keys[r] = rowValues(b, r, keyPos, nil)
	}
	var found int64
	for rest := keys; len(rest) > 0; {
		n := min(len(rest), 1000)
		var c int64
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+d.Quote(t.Name)+" WHERE "+d.KeyIn(byKey, rest[:n])).Scan(&c); err != nil {
			return fmt.Errorf("count the rows written to %s in %s: %w", t.Name, d, err)
		}
		found, rest = found+c, rest[n:]
	}
	if missing := int64(len(keys)) - found; missing > 0 {
		return fmt.Errorf("%d of %d rows written to %s in %s are not there under their key: a unique key of the target that runway cannot compare (on a generated column, or a prefix) met another row, which the server updated instead; runway stops rather than lose them (drop that key on the target while catching up, or add it afterwards)",
			missing, len(keys), t.Name, d)
	}
	return nil
}

// otherUnique reports whether t has a unique key besides keyNames.
func otherUnique(t *Table, keyNames []string) bool {
	for _, uk := range t.Unique {
		if normSet(uk) != normSet(keyNames) {
			return true
		}
	}
	return false
}
