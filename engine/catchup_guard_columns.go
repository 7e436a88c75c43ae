package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// tableShapes are a replayed table's definitions as the source and the
// target have them now.
type tableShapes struct{ src, dst *Table }

// readShapes reads the definitions of tables on both sides.
func (c *catchup) readShapes(ctx context.Context, tables []*catchupTable) ([]tableShapes, error) {
	out := make([]tableShapes, len(tables))
	for i, t := range tables {
		var err error
		if out[i].src, err = c.src.describe(ctx, t.st.Name); err != nil {
			return nil, err
		}
		if out[i].dst, err = c.dst.describe(ctx, t.dt.Name); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// columnsSame checks that no table's columns changed on either side since
// the catch-up read them: it re-reads and writes only those.
func (c *catchup) columnsSame(ctx context.Context, tables []*catchupTable, now []tableShapes) error {
	for i, t := range tables {
		if change := columnChange(t.st, now[i].src); change != "" {
			return c.columnsChanged(ctx, t.st.Name, c.src, change, keyMoved(t.st, now[i].src))
		}
		if change := columnChange(t.dt, now[i].dst); change != "" {
			return c.columnsChanged(ctx, t.dt.Name, c.dst, change, keyMoved(t.dt, now[i].dst))
		}
	}
	return nil
}

// shapesSeen are the tables' shapes as now, by name, and those stored for
// tables not set up in this run (yet).
func (c *catchup) shapesSeen(tables []*catchupTable, now []tableShapes) map[string]string {
	out := make(map[string]string, len(tables))
	for name, shape := range c.state.tables.Shapes {
		out[name] = shape
	}
	for i, t := range tables {
		delete(out, storedName(out, t.st.Name))
		out[t.st.Name] = now[i].text()
	}
	return out
}

// storedName is the key under which shapes hold table: names are stored as
// the source spells them, and MySQL's may differ in case.
func storedName(shapes map[string]string, table string) string {
	if _, ok := shapes[table]; ok {
		return table
	}
	for name := range shapes {
		if strings.EqualFold(name, table) {
			return name
		}
	}
	return table
}

// text is the shapes as stored, in every position saved: a digest of both
// sides' keys, then one of their keys and columns (see keyOf).
func (s tableShapes) text() string {
	keys := "source " + keyShape(s.src) + "; target " + keyShape(s.dst)
	all := "source " + tableShape(s.src) + "; target " + tableShape(s.dst)
	return digest(keys) + " " + digest(all)
}

// digest is a short fingerprint of s.
func digest(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

// keyShape is t's key columns.
func keyShape(t *Table) string {
	return "key (" + strings.ToLower(strings.Join(t.KeyColumns(), ", ")) + ")"
}

// tableShape is t's key and its columns with what of each the catch-up
// relies on, in name order.
func tableShape(t *Table) string {
	cols := make([]string, len(t.Columns))
	for i, col := range t.Columns {
		cols[i] = strings.ToLower(col.Name) + " " + columnShape(col)
	}
	sort.Strings(cols)
	return keyShape(t) + " " + strings.Join(cols, ", ")
}

// keyMoved tells that the key columns of a table differ from was to now.
func keyMoved(was, now *Table) bool {
	return !strings.EqualFold(strings.Join(was.KeyColumns(), ", "), strings.Join(now.KeyColumns(), ", "))
}

// sinceLastRun compares table's shapes now with those the run before this
// one stored at its last check. A run stopped or killed may have written
// batches since that check without a column added after it: the position
// goes back to that check, and this run, which read the new columns,
// writes those rows again. A key changed since cannot be caught up: the
// log holds keys of the old one.
func (c *catchup) sinceLastRun(ctx context.Context, table string, now tableShapes) error {
	was, ok := c.state.tables.Shapes[storedName(c.state.tables.Shapes, table)]
	if !ok || was == now.text() {
		return nil
	}
	if keyOf(was) != keyOf(now.text()) {
		return c.keyChangedStop(table)
	}
	from := c.state.tables.Checked
	if from < c.state.pos.LowWater() {
		c.state.pos = LogPosition{MaxSeen: from, Skipped: c.state.pos.Skipped}
		if err := saveCatchupState(ctx, c.dst, c.dst.db, c.opts.Job, c.state); err != nil {
			return fmt.Errorf("catch-up %s: the columns of %s changed since the last run checked them, and setting its position back failed: %w", c.opts.LogTable, table, err)
		}
	}
	c.note(fmt.Sprintf("the columns of %s changed since the last run checked them: replaying from log id %d to write them", table, from))
	return nil
}

// keyOf is the digest of the keys in stored shapes text.
func keyOf(shapes string) string {
	keys, _, _ := strings.Cut(shapes, " ")
	return keys
}

// keyChangedStop is the error of a table whose key changed: its log rows
// name rows by the old key, which the new one reads as other rows.
// Its rows cannot be told apart by id, so the way on is a log of new keys
// only, from a target repaired after it began.
func (c *catchup) keyChangedStop(table string) error {
	return repairFirst(table, fmt.Errorf("catch-up %s: the key of %s changed since the catch-up read it, and its log names rows by the old key: "+
		"remove and install runway's triggers on %s again, empty the change log and delete this catch-up's position (job %q in %s on the target), "+
		"repair the log's tables with verify --repair, then run the catch-up again",
		c.opts.LogTable, table, table, c.opts.Job, CatchupTable))
}

// columnChange says how the columns and key of a table changed from was to
// now, "" when they did not. Order alone is no change: columns are read and
// written by name.
func columnChange(was, now *Table) string {
	var out []string
	for _, col := range now.Columns {
		old := was.Column(col.Name)
		switch {
		case old == nil:
			out = append(out, col.Name+" added")
		case columnShape(*old) != columnShape(col):
			out = append(out, fmt.Sprintf("%s changed from %s to %s", col.Name, columnShape(*old), columnShape(col)))
		}
	}
	for _, col := range was.Columns {
		if now.Column(col.Name) == nil {
			out = append(out, col.Name+" dropped")
		}
	}
	if k, l := strings.Join(was.KeyColumns(), ", "), strings.Join(now.KeyColumns(), ", "); !strings.EqualFold(k, l) {
		out = append(out, fmt.Sprintf("key changed from (%s) to (%s)", k, l))
	}
	return strings.Join(out, ", ")
}

// columnShape is what of a column the catch-up relies on.
func columnShape(c Column) string {
	if c.Generated {
		return c.Type + " generated"
	}
	return c.Type
}

// columnsChanged is the error of a table whose columns changed. Batches
// since the last check that saw the old columns may have been written
// without the new ones, so the stored position goes back there.
func (c *catchup) columnsChanged(ctx context.Context, table string, side *DB, change string, key bool) error {
	if key {
		return c.keyChangedStop(table)
	}
	what := fmt.Sprintf("catch-up %s: the columns of %s in %s changed since the catch-up read them (%s)", c.opts.LogTable, table, side, change)
	from, err := c.rewind(ctx)
	if err != nil {
		return fmt.Errorf("%s, and setting its position back failed: %w; repair %s with verify, then run the catch-up again", what, err, table)
	}
	return fmt.Errorf("%s: run the catch-up again to write them; it replays from log id %d, where they were last checked unchanged", what, from)
}

// rewind stores the position of the last check that found the tables
// unchanged. Replaying changes again is harmless: their rows are read
// again from the source.
func (c *catchup) rewind(ctx context.Context) (int64, error) {
	good := c.guard.good
	if err := saveCatchupState(ctx, c.dst, c.dst.db, c.opts.Job, good); err != nil {
		return 0, err
	}
	c.state = good
	return good.pos.LowWater(), nil
}
