package engine

import (
	"context"
	"fmt"
	"strings"
)

// applied is what one batch did.
type applied struct {
	upserted, deleted, ignored int64
}

// apply replays the log rows of one batch and stores pos as the new
// position, in one target transaction (a large batch on MySQL: see
// writeParts). The rows are re-read from the
// source first; a key the source no longer has is deleted on the target.
func (c *catchup) apply(ctx context.Context, entries []logEntry, pos LogPosition) (applied, error) {
	var a applied
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
			a.ignored++
			continue
		}
		t, err := c.table(ctx, e.table)
		if err != nil {
			return a, fmt.Errorf("change log id %d: %w", e.id, err)
		}
		key, err := parseLogKey(e.pk, t.st)
		if err != nil {
			return a, fmt.Errorf("change log id %d: %w", e.id, err)
		}
		p := byTable[strings.ToLower(e.table)]
		if p == nil {
			p = &pending{t: t, seen: map[string]bool{}}
			byTable[strings.ToLower(e.table)] = p
			order = append(order, p)
		}
		kb = kb[:0]
		for i, pos := range t.shape.keyPos {
			kb = appendPrefixed(kb, key[i], t.shape.srcCols[pos], t.shape.scale[pos])
		}
		if !p.seen[string(kb)] { // de-duplicate: a row changed ten times is read once
			p.seen[string(kb)] = true
			p.keys = append(p.keys, key)
		}
	}

	// Re-read the rows from the source.
	var writes []tableWrite
	rows := 0
	for _, p := range order {
		b := NewBatch(len(p.t.cols))
		if err := readKeysBatched(ctx, c.src, c.sconn, p.t.st, p.t.cols, p.keys, b); err != nil {
			return a, err
		}
		present := make(map[string]bool, b.Len())
		for r := 0; r < b.Len(); r++ {
			kb = p.t.shape.canonKey(kb[:0], b, r, p.t.shape.srcCols)
			present[string(kb)] = true
		}
		var del [][]Value
		for _, k := range p.keys {
			kb = kb[:0]
			for i, pos := range p.t.shape.keyPos {
				kb = appendPrefixed(kb, k[i], p.t.shape.srcCols[pos], p.t.shape.scale[pos])
			}
			if !present[string(kb)] {
				del = append(del, k)
			}
		}
		writes = append(writes, tableWrite{t: p.t, b: b, del: del})
		rows += b.Len() + len(del)
		a.upserted += int64(b.Len())
		a.deleted += int64(len(del))
	}

	if n := c.writers(rows); n > 1 {
		// Large batch: the rows in parallel first, then the position.
		if err := c.writeParts(ctx, writes, n); err != nil {
			return a, err
		}
		writes = nil
	}
	for _, w := range writes {
		if err := w.t.ups[0].Ready(ctx, w.b); err != nil {
			return a, fmt.Errorf("write %s in %s: %w", w.t.dt.Name, c.dst, err)
		}
	}
	// Write them (unless written above) and the position in one target transaction.
	tx, err := c.dst.db.BeginTx(ctx, nil)
	if err != nil {
		return a, fmt.Errorf("write to %s: %w", c.dst, err)
	}
	defer tx.Rollback()
	for _, w := range writes {
		if _, err := c.dst.Delete(ctx, tx, w.t.dt, w.del); err != nil {
			return a, err
		}
		if w.b.Len() > 0 {
			if err := w.t.ups[0].Write(ctx, tx, w.b); err != nil {
				return a, fmt.Errorf("write %s in %s: %w", w.t.dt.Name, c.dst, err)
			}
		}
	}
	st := catchupState{pos: pos, applied: c.state.applied + int64(len(entries))}
	if err := saveCatchupState(ctx, c.dst, tx, c.opts.Job, st); err != nil {
		return a, err
	}
	if err := tx.Commit(); err != nil {
		return a, fmt.Errorf("commit to %s: %w", c.dst, err)
	}
	c.state = st
	return a, nil
}
