package engine

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// applied is what one batch did.
type applied struct {
	upserted, deleted, ignored int64
}

// gathered is one batch ready to write: its rows re-read from the source.
type gathered struct {
	entries int // log rows in the batch
	writes  []tableWrite
	rows    int // rows upserted and keys deleted
	a       applied
	// ordered: a key is written twice, a fresher copy after the first, so
	// the writes go in order in one transaction (see followKeys).
	ordered bool
}

// apply replays the log rows of one batch and stores pos as the new
// position, in one target transaction (a large batch on MySQL: see
// writeParts). The rows are re-read from the source first; a key the
// source no longer has is deleted on the target.
func (c *catchup) apply(ctx context.Context, entries []logEntry, pos LogPosition) (applied, error) {
	g, err := c.gather(ctx, c.sconn, entries)
	if err != nil {
		return g.a, err
	}
	err = c.commit(ctx, &g, pos)
	return g.a, err
}

// gather de-duplicates the keys of entries and re-reads their rows from the
// source through conn.
func (c *catchup) gather(ctx context.Context, conn *sql.Conn, entries []logEntry) (gathered, error) {
	g := gathered{entries: len(entries)}
	type pending struct {
		t    *catchupTable
		keys [][]Value
		seen map[string]bool
	}
	var order []*pending
	byTable := map[string]*pending{}
	var kb []byte
	for _, e := range entries {
		if !c.wanted(e.table) {
			g.a.ignored++
			continue
		}
		t, err := c.table(ctx, e.table)
		if err != nil {
			return g, fmt.Errorf("change log id %d: %w", e.id, err)
		}
		key, err := parseLogKey(e.pk, t.st)
		if err != nil {
			return g, fmt.Errorf("change log id %d: %w", e.id, err)
		}
		p := byTable[strings.ToLower(e.table)]
		if p == nil {
			p = &pending{t: t, seen: map[string]bool{}}
			byTable[strings.ToLower(e.table)] = p
			order = append(order, p)
		}
		kb = t.keyText(kb[:0], key)
		if !p.seen[string(kb)] { // de-duplicate: a row changed ten times is read once
			p.seen[string(kb)] = true
			p.keys = append(p.keys, key)
		}
	}

	// Re-read the rows from the source.
	for _, p := range order {
		w, err := c.reread(ctx, conn, p.t, p.keys)
		if err != nil {
			return g, err
		}
		g.add(w)
	}
	return g, nil
}

// reread reads the rows of t's keys from the source: those it has are
// upserted on the target, the others deleted.
func (c *catchup) reread(ctx context.Context, conn *sql.Conn, t *catchupTable, keys [][]Value) (tableWrite, error) {
	b := NewBatch(len(t.cols))
	if err := readKeysBatched(ctx, c.src, conn, t.st, t.cols, keys, b); err != nil {
		return tableWrite{}, err
	}
	present := make(map[string]bool, b.Len())
	var kb []byte
	for r := 0; r < b.Len(); r++ {
		kb = t.shape.canonKey(kb[:0], b, r, t.shape.srcCols)
		present[string(kb)] = true
	}
	var del [][]Value
	for _, k := range keys {
		if !present[string(t.keyText(kb[:0], k))] {
			del = append(del, k)
		}
	}
	return tableWrite{t: t, b: b, del: del}, nil
}

// keyText is key k of t in the canonical form rows are compared by.
func (t *catchupTable) keyText(kb []byte, k []Value) []byte {
	for i, pos := range t.shape.keyPos {
		kb = appendPrefixed(kb, k[i], t.shape.srcCols[pos], t.shape.scale[pos])
	}
	return kb
}

// add counts w into the batch.
func (g *gathered) add(w tableWrite) {
	g.writes = append(g.writes, w)
	g.rows += w.b.Len() + len(w.del)
	g.a.upserted += int64(w.b.Len())
	g.a.deleted += int64(len(w.del))
}

// commit writes a gathered batch to the target and stores pos with it.
func (c *catchup) commit(ctx context.Context, g *gathered, pos LogPosition) error {
	before := len(g.writes)
	if !c.src.dialect.triggersSeeCascades() { // else the log holds the cascaded rows
		if err := c.addMovedRows(ctx, g); err != nil {
			return err
		}
		if err := c.followCascades(ctx, c.sconn, g); err != nil {
			return err
		}
	}
	followed := len(g.writes) > before
	writes := g.writes
	if n := c.writers(g.rows); n > 1 && !g.ordered {
		// Large batch: the rows in parallel first, then the position.
		if err := c.writeParts(ctx, writes, n); err != nil {
			return err
		}
		writes = nil
	}
	for _, w := range writes {
		if err := w.t.ups[0].Ready(ctx, w.b); err != nil {
			return fmt.Errorf("write %s in %s: %w", w.t.dt.Name, c.dst, err)
		}
	}
	// Write them (unless written above) and the position in one target transaction.
	tx, err := c.begin(ctx, 0)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, w := range writes {
		if _, err := c.dst.Delete(ctx, tx, w.t.dt, w.del); err != nil {
			return err
		}
		if _, err := c.dst.clearUniqueMoves(ctx, tx, w.t.dt, w.t.colNames, w.t.keyNames, w.b, moveOrigin{c.src, w.t.st}); err != nil {
			return err
		}
		if w.b.Len() > 0 {
			if err := w.t.ups[0].Write(ctx, tx, w.b); err != nil {
				return fmt.Errorf("write %s in %s: %w", w.t.dt.Name, c.dst, err)
			}
		}
		if err := c.dst.checkLanded(ctx, tx, w.t.dt, w.t.colNames, w.t.keyNames, w.b); err != nil {
			return err
		}
	}
	st := catchupState{pos: pos, applied: c.state.applied + int64(g.entries), tables: c.state.tables, log: c.state.log}
	if err := saveCatchupState(ctx, c.dst, tx, c.opts.Job, st); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit to %s: %w", c.dst, err)
	}
	c.state = st
	c.commits++ // a batch read ahead from the position before this one is stale
	if followed {
		c.commits++ // and so is one read before the follow-up wrote fresher rows
	}
	return nil
}
