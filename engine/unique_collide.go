package engine

import (
	"context"
	"fmt"
	"strings"
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
// rows a cleared row is looked up in.
type moveOrigin struct {
	d *DB
	t *Table
}

// refuseCollisions fails, naming the row, when one of held (the key's
// values, then uk's, of the rows clearing would delete) still holds that
// value on the source under its key.
func (d *DB) refuseCollisions(ctx context.Context, t *Table, keyNames, uk []string, held [][]string, o moveOrigin) error {
	kept, err := o.stillHeld(ctx, append(append([]string{}, keyNames...), uk...), held)
	if err != nil || len(kept) == 0 {
		return err
	}
	row := kept[0]
	return &clearStop{fmt.Sprintf("%s in %s: row %s holds %s on the source too, where another row holds a value the target's unique key %s takes for the same (a collation there that compares more loosely than the source's, or a unique key the source lacks); give that key a collation on the target that keeps the source's values apart, or drop it there",
		t.Name, d, namedKey(keyNames, row[:len(keyNames)]), columnList(uk), columnList(uk))}
}

// stillHeld returns the rows of held (values of cols, the key's first)
// that the source still has with those very values.
func (o moveOrigin) stillHeld(ctx context.Context, cols []string, held [][]string) ([][]string, error) {
	byPair, err := keyedByNames(o.d, o.t, cols)
	if err != nil {
		return nil, nil // a column the source lacks: nothing to compare
	}
	var pairs [][]Value
	var unsure [][]string // fails closed: taken as still held
	for _, row := range held {
		pair, ok := make([]Value, len(cols)), true
		for j, s := range row {
			var fits bool
			pair[j], fits = textValue(s, &o.t.Columns[byPair.Key[j]])
			ok = ok && fits
		}
		if !ok {
			unsure = append(unsure, row)
			continue
		}
		pairs = append(pairs, pair)
	}
	if len(pairs) == 0 {
		return unsure, nil
	}
	found := NewBatch(len(cols))
	var more bool
	q := "SELECT " + o.d.selectList(o.t, byPair.Key) + " FROM " + o.d.Quote(o.t.Name) + " WHERE " + o.d.KeyIn(byPair, pairs)
	if err := o.d.query(ctx, nil, q, o.t, byPair.Key, found, 0, &more); err != nil {
		return nil, fmt.Errorf("look up the rows of %s in %s holding moved unique values: %w", o.t.Name, o.d, err)
	}
	out := unsure
	for r := 0; r < found.Len(); r++ {
		row := make([]string, len(cols))
		for j := range cols {
			row[j] = string(found.Value(r, j).B)
		}
		out = append(out, row)
	}
	return out, nil
}

// textValue is s, a value of column c read as text from the target, as a
// value to look it up by on the source; fits is false when s is no value
// of c's kind there (a target's boolean "true" for a source's TINYINT is 1).
func textValue(s string, c *Column) (v Value, fits bool) {
	switch c.Family {
	case FamBytes, FamBit:
		return Value{Kind: KindBytes, B: []byte(s)}, true
	case FamBool, FamInt, FamUint, FamYear:
		switch strings.ToLower(s) {
		case "t", "true":
			s = "1"
		case "f", "false":
			s = "0"
		}
	}
	v = keyValue(s, c)
	switch c.Family {
	case FamBool, FamInt, FamUint, FamYear, FamDecimal, FamFloat, FamDouble:
		return v, v.Kind.numeric()
	}
	return v, true
}
