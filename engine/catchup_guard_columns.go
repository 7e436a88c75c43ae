package engine

import (
	"context"
	"fmt"
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
			return c.columnsChanged(ctx, t.st.Name, c.src, change)
		}
		if change := columnChange(t.dt, now[i].dst); change != "" {
			return c.columnsChanged(ctx, t.dt.Name, c.dst, change)
		}
	}
	return nil
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
func (c *catchup) columnsChanged(ctx context.Context, table string, side *DB, change string) error {
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
