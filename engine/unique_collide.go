package engine

import (
	"context"
	"database/sql"
	"fmt"
)

// A target whose unique key compares more loosely than the source's (a
// case-insensitive or pad-space collation) takes two values the source
// keeps apart for one: 'X@y' and 'x@y'. Clearing the row that holds the
// other (see unique_moves.go) would then lose a row the source still has,
// unchanged, which no log row brings back; so would a unique key the
// target has and the source lacks. So the rows about to be cleared are
// looked up on the source: a row still there holding exactly the value it
// holds on the target did not give it up, and nothing is cleared. (On a
// live source the row may have taken the value back since the batch was
// read: that stop is a false alarm, and a rerun reads the batch again.)

// moveOrigin is where a batch's rows come from: the source table whose
// rows a cleared row is looked up in. A zero moveOrigin looks up nothing.
type moveOrigin struct {
	d *DB
	t *Table
}

// refuseCollisions fails, naming the row, when a row of t that clearing b's
// moved values would delete (matching where, read in tx) still holds that
// value on the source under its key.
func (d *DB) refuseCollisions(ctx context.Context, tx *sql.Tx, t *Table, keyNames, uk []string, where string, o moveOrigin) error {
	if o.d == nil {
		return nil
	}
	cols := append(append([]string{}, keyNames...), uk...)
	held, err := d.heldRows(ctx, tx, t, cols, where)
	if err != nil || len(held) == 0 {
		return err
	}
	kept, err := o.stillHeld(ctx, cols, held)
	if err != nil {
		return err
	}
	if len(kept) == 0 {
		return nil
	}
	row := kept[0]
	return &clearStop{fmt.Sprintf("%s in %s: row %s holds %s on the source too, where another row holds a value the target's unique key %s takes for the same (a collation there that compares more loosely than the source's, or a unique key the source lacks); give that key a collation on the target that keeps the source's values apart, or drop it there",
		t.Name, d, namedKey(keyNames, row[:len(keyNames)]), columnList(uk), columnList(uk))}
}

// heldRows reads in tx cols, as text, of the rows of t matching where.
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

// stillHeld returns the rows of held (values of cols, the key's first)
// that the source still has with those very values.
func (o moveOrigin) stillHeld(ctx context.Context, cols []string, held [][]string) ([][]string, error) {
	byPair, err := keyedByNames(o.d, o.t, cols)
	if err != nil {
		return nil, nil // a column the source lacks: nothing to compare
	}
	pairs := make([][]Value, len(held))
	for i, row := range held {
		pairs[i] = make([]Value, len(cols))
		for j, s := range row {
			pairs[i][j] = textValue(s, &o.t.Columns[byPair.Key[j]])
		}
	}
	found := NewBatch(len(cols))
	var more bool
	q := "SELECT " + o.d.selectList(o.t, byPair.Key) + " FROM " + o.d.Quote(o.t.Name) + " WHERE " + o.d.KeyIn(byPair, pairs)
	if err := o.d.query(ctx, nil, q, o.t, byPair.Key, found, 0, &more); err != nil {
		return nil, fmt.Errorf("look up the rows of %s in %s holding moved unique values: %w", o.t.Name, o.d, err)
	}
	out := make([][]string, found.Len())
	for r := range out {
		out[r] = make([]string, len(cols))
		for j := range cols {
			out[r][j] = string(found.Value(r, j).B)
		}
	}
	return out, nil
}

// textValue is s, a value of column c read as text, as a value to look
// it up by.
func textValue(s string, c *Column) Value {
	if c.Family == FamBytes || c.Family == FamBit {
		return Value{Kind: KindBytes, B: []byte(s)}
	}
	return keyValue(s, c)
}
