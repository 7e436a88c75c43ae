package engine

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
)

// verifyWorker checks chunks on its own pair of connections.
type verifyWorker struct {
	tv       *tableVerify
	sc, dc   *sql.Conn
	sb, db   *Batch // full rows
	ha, hb   *Batch // keys and row hashes
	keyCanon []byte
	seq      int // the chunk being checked, for notes
}

func (w *verifyWorker) close() {
	if w.sc != nil {
		w.sc.Close()
	}
	if w.dc != nil {
		w.dc.Close()
	}
}

// check compares one chunk on both sides.
func (w *verifyWorker) check(ctx context.Context, c vchunk) vout {
	o := vout{c: c}
	if c.skipped {
		return o
	}
	w.seq = c.seq
	if err := w.tv.opts.Control.Wait(ctx, c.rows); err != nil {
		o.err = err
		return o
	}
	if w.tv.method == MethodServer {
		o.err = w.server(ctx, &o)
	} else {
		o.err = w.rows(ctx, &o)
	}
	return o
}

// both runs f on the source connection and g on the target's at the same time.
func (w *verifyWorker) both(ctx context.Context, what string, f, g func(context.Context, *sql.Conn) error) error {
	tv := w.tv
	errc := make(chan error, 1)
	doing := fmt.Sprintf("verifying chunk %d", w.seq)
	if w.seq == 0 { // reconcile: keys read again after the chunks
		doing = "rechecking keys"
	}
	go func() { errc <- tv.retry(ctx, what+" on the source", doing, &w.sc, tv.src, f) }()
	err := tv.retry(ctx, what+" on the target", doing, &w.dc, tv.dst, g)
	if err2 := <-errc; err2 != nil {
		return err2
	}
	return err
}

// server compares the servers' checksums, and narrows a mismatch. While
// chunks keep differing (changes spread over the table) it skips the
// checksums and compares row hashes at once, which is what a mismatch leads
// to anyway; the first chunk found equal that way switches back.
func (w *verifyWorker) server(ctx context.Context, o *vout) error {
	tv := w.tv
	c := o.c
	if tv.streak.Load() {
		return w.narrowServer(ctx, o, true)
	}
	var a, b chunkSum
	var aok, bok bool
	list := chunkList{whole: !tv.wholeCut.Load(), maxBytes: tv.listBytes()}
	err := w.both(ctx, "checksum",
		func(ctx context.Context, conn *sql.Conn) (err error) {
			a, aok, err = serverChunkList(ctx, tv.src, conn, tv.st, tv.sexpr, c.after, c.through, tv.opts.Where, list)
			return err
		},
		func(ctx context.Context, conn *sql.Conn) (err error) {
			b, bok, err = serverChunkList(ctx, tv.dst, conn, tv.dt, tv.dexpr, c.after, c.through, tv.opts.Where, list)
			return err
		})
	if err != nil {
		return err
	}
	o.srcRows, o.dstRows = a.rows, b.rows
	if a == b && aok && bok {
		return nil
	}
	if list.whole && (!aok || !bok) {
		tv.wholeCut.Store(true) // rows too long to hold whole: hash each row from now on
	}
	if a.rows == b.rows { // maybe the same rows read in another order
		err = w.both(ctx, "checksum",
			func(ctx context.Context, conn *sql.Conn) (err error) {
				a, err = serverChunkSum(ctx, tv.src, conn, tv.st, tv.sexpr, c.after, c.through, tv.opts.Where)
				return err
			},
			func(ctx context.Context, conn *sql.Conn) (err error) {
				b, err = serverChunkSum(ctx, tv.dst, conn, tv.dt, tv.dexpr, c.after, c.through, tv.opts.Where)
				return err
			})
		if err != nil {
			return err
		}
		o.srcRows, o.dstRows = a.rows, b.rows
		if a == b {
			return nil
		}
	}
	o.differing = true
	return w.narrowServer(ctx, o, false)
}

// narrowServer finds the rows of a mismatched chunk: both servers send each
// row's key and SHA1; keys whose hashes differ, or that one side lacks or
// holds twice, are read in full from both sides and compared value by value.
func (w *verifyWorker) narrowServer(ctx context.Context, o *vout, direct bool) error {
	tv := w.tv
	c := o.c
	nk := len(tv.st.Key)
	if w.ha == nil {
		w.ha, w.hb = NewBatch(nk+1), NewBatch(nk+1)
	}
	ha, hb := w.ha, w.hb
	err := w.both(ctx, "row hashes",
		func(ctx context.Context, conn *sql.Conn) error {
			ha.Reset()
			return serverRowHashes(ctx, tv.src, conn, tv.st, tv.sexpr, c.after, c.through, tv.opts.Where, ha)
		},
		func(ctx context.Context, conn *sql.Conn) error {
			hb.Reset()
			return serverRowHashes(ctx, tv.dst, conn, tv.dt, tv.dexpr, c.after, c.through, tv.opts.Where, hb)
		})
	if err != nil {
		return err
	}
	if direct {
		o.srcRows, o.dstRows = int64(ha.Len()), int64(hb.Len())
	}
	keys := w.candidates(ha, hb)
	var cmp rowsCompared
	if len(keys) > 0 {
		if cmp, err = w.compareKeys(ctx, keys); err != nil {
			return err
		}
	}
	o.diffs = cmp.diffs
	o.differing = o.differing || len(keys) > 0
	tv.streak.Store(len(cmp.diffs) > 0)
	return nil
}

// candidates are the keys whose row hashes do not pair up one to one: on
// one side only, on a side twice, or with different hashes.
func (w *verifyWorker) candidates(ha, hb *Batch) [][]Value {
	sh := w.tv.shape
	nk := len(sh.keyPos)
	var out [][]Value
	add := func(b *Batch, r int) {
		k := make([]Value, nk)
		for i := range k {
			k[i] = b.Value(r, i).Clone()
		}
		out = append(out, k)
	}
	// Both servers send the rows in key order: walk them together while the
	// keys pair up one to one, which is every row unless one is missing,
	// extra or repeated; the rest goes through maps.
	i, j := 0, 0
	na, nb := ha.Len(), hb.Len()
	for i < na && j < nb && sameRawKey(ha, i, hb, j, nk) {
		if (i+1 < na && sameRawKey(ha, i, ha, i+1, nk)) || (j+1 < nb && sameRawKey(hb, j, hb, j+1, nk)) {
			break
		}
		if !bytes.Equal(ha.Value(i, nk).B, hb.Value(j, nk).B) {
			add(ha, i)
		}
		i++
		j++
	}
	if i == na && j == nb {
		return out
	}
	type entry struct {
		hash string
		n    int
		row  int
	}
	index := func(b *Batch, from int, cols []*Column) (map[string]*entry, []string) {
		m := make(map[string]*entry, b.Len()-from)
		order := make([]string, 0, b.Len()-from)
		for r := from; r < b.Len(); r++ {
			w.keyCanon = w.keyCanon[:0]
			for i, p := range sh.keyPos {
				w.keyCanon = appendPrefixed(w.keyCanon, b.Value(r, i), cols[p], sh.scale[p])
			}
			k := string(w.keyCanon)
			if e, ok := m[k]; ok {
				e.n++
				continue
			}
			m[k] = &entry{hash: string(b.Value(r, nk).B), n: 1, row: r}
			order = append(order, k)
		}
		return m, order
	}
	ma, oa := index(ha, i, sh.srcCols)
	mb, ob := index(hb, j, sh.dstCols)
	for _, k := range oa {
		a, b := ma[k], mb[k]
		if b == nil || a.n != 1 || b.n != 1 || a.hash != b.hash {
			add(ha, a.row)
		}
	}
	for _, k := range ob {
		if ma[k] == nil {
			add(hb, mb[k].row)
		}
	}
	return out
}

// sameRawKey reports whether the first nk values of row r of a and row q of
// b are the same bytes (both sides are the same engine and types here).
func sameRawKey(a *Batch, r int, b *Batch, q int, nk int) bool {
	for c := 0; c < nk; c++ {
		x, y := a.Value(r, c), b.Value(q, c)
		if x.Kind != y.Kind || !bytes.Equal(x.B, y.B) {
			return false
		}
	}
	return true
}

// compareKeys reads the rows of keys from both sides and compares them.
func (w *verifyWorker) compareKeys(ctx context.Context, keys [][]Value) (rowsCompared, error) {
	tv := w.tv
	if w.sb == nil {
		w.sb, w.db = NewBatch(len(tv.scols)), NewBatch(len(tv.dcols))
	}
	err := w.both(ctx, "read differing rows",
		func(ctx context.Context, conn *sql.Conn) error {
			w.sb.Reset()
			return readKeysBatched(ctx, tv.src, conn, tv.st, tv.scols, keys, w.sb)
		},
		func(ctx context.Context, conn *sql.Conn) error {
			w.db.Reset()
			return readKeysBatched(ctx, tv.dst, conn, tv.dt, tv.dcols, keys, w.db)
		})
	if err != nil {
		return rowsCompared{}, err
	}
	return tv.shape.compareRows(w.sb, w.db), nil
}

// readKeysBatched is ReadKeys in groups of 1000 keys.
func readKeysBatched(ctx context.Context, d *DB, conn *sql.Conn, t *Table, cols []int, keys [][]Value, b *Batch) error {
	for len(keys) > 0 {
		n := min(len(keys), 1000)
		if _, err := d.ReadKeys(ctx, conn, t, cols, keys[:n], b); err != nil {
			return err
		}
		keys = keys[n:]
	}
	return nil
}

// rows reads the chunk's target rows and compares them with the source's.
func (w *verifyWorker) rows(ctx context.Context, o *vout) error {
	tv := w.tv
	c := o.c
	if w.db == nil {
		w.db = NewBatch(len(tv.dcols))
	}
	doing := fmt.Sprintf("verifying chunk %d", c.seq)
	err := tv.retry(ctx, "read the target", doing, &w.dc, tv.dst, func(ctx context.Context, conn *sql.Conn) error {
		w.db.Reset()
		_, err := tv.dst.ReadChunk(ctx, conn, Read{Table: tv.dt, Cols: tv.dcols, After: c.after, Through: c.through, Where: tv.opts.Where}, w.db)
		return err
	})
	if err != nil {
		return err
	}
	cmp := tv.shape.compareRows(c.src, w.db)
	tv.release(c.src)
	o.srcRows, o.dstRows = cmp.srcRows, cmp.dstRows
	o.differing = len(cmp.diffs) > 0
	o.diffs = cmp.diffs
	return nil
}
