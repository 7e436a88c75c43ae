package engine

import (
	"context"
	"database/sql"
	"math/big"
	"sync"
)

// maxSpanFactor bounds a chunk cut by key span, in chunks' worth of keys:
// where the key is sparser than that, chunks are cut by counting rows.
const maxSpanFactor = 16

// spanCutter cuts the chunks of a table with one integer key by key span
// rather than by counting rows. A span of N keys holds at most N rows, so on
// a dense key (AUTO_INCREMENT) a chunk's bound is arithmetic, and the source
// is not read twice per chunk, once to find the bound and once for the
// checksum. The span follows the density the finished chunks measured; where
// it would exceed maxSpanFactor chunks' worth of keys, and past the largest
// key at the start (rows inserted since), the caller counts rows instead.
// A chunk thus holds at most maxSpanFactor times the rows wanted, which
// bounds what narrowing a differing chunk holds in memory.
type spanCutter struct {
	kind  Kind     // of the bounds: KindInt or KindUint, as the key column
	first *big.Int // one below the smallest source key at the start
	last  *big.Int // the largest source key at the start
	rows  int64    // rows wanted per chunk

	cut, counted int // chunks cut by span and by counting (the producer's own)

	mu      sync.Mutex
	density float64 // rows per key of the last chunk measured; 0 = none yet
	span    int64   // the span of the last chunk cut
}

// newSpanCutter returns a cutter for t on d, or nil when t's key is not one
// integer column or the table is empty.
func newSpanCutter(ctx context.Context, d *DB, conn *sql.Conn, t *Table, rows int) (*spanCutter, error) {
	if len(t.Key) != 1 {
		return nil, nil
	}
	col := t.Columns[t.Key[0]]
	if col.Family != FamInt && col.Family != FamUint {
		return nil, nil
	}
	k := d.Quote(col.Name)
	var lo, hi sql.NullString
	if err := conn.QueryRowContext(ctx, "SELECT MIN("+k+"), MAX("+k+") FROM "+d.Quote(t.Name)).Scan(&lo, &hi); err != nil {
		return nil, err
	}
	if !lo.Valid || !hi.Valid {
		return nil, nil
	}
	first, ok1 := new(big.Int).SetString(lo.String, 10)
	last, ok2 := new(big.Int).SetString(hi.String, 10)
	if !ok1 || !ok2 {
		return nil, nil
	}
	first.Sub(first, big.NewInt(1))
	kind := KindInt
	if col.Family == FamUint {
		kind = KindUint
	}
	return &spanCutter{kind: kind, first: first, last: last, rows: int64(rows)}, nil
}

// next returns the bound of the chunk after after (nil = the first chunk)
// and the rows it probably holds. ok is false where the key is too sparse
// for a span, and past the largest key seen at the start, where rows may
// keep arriving: the caller then counts rows, which also finds the end.
func (s *spanCutter) next(after []Value) (through []Value, rows int64, ok bool) {
	lo, ok := s.base(after)
	if !ok || lo.Cmp(s.last) >= 0 {
		return nil, 0, false
	}
	span, rows, ok := s.nextSpan()
	if !ok {
		return nil, 0, false
	}
	hi := new(big.Int).Add(lo, big.NewInt(span))
	if hi.Cmp(s.last) > 0 {
		hi = s.last
	}
	return []Value{{Kind: s.kind, B: hi.Append(nil, 10)}}, rows, true
}

// base is the key a chunk starting after after counts from.
func (s *spanCutter) base(after []Value) (*big.Int, bool) {
	if after == nil {
		return s.first, true
	}
	return new(big.Int).SetString(string(after[0].B), 10)
}

// nextSpan is the span for the next chunk and the rows expected in it: the
// rows wanted over the last density measured, at most twice the last span,
// so that a sparse stretch widens the chunks step by step. ok is false
// beyond maxSpanFactor chunks' worth of keys.
func (s *spanCutter) nextSpan() (span, rows int64, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	limit := maxSpanFactor * s.rows
	span = s.rows
	if s.density > 0 {
		span = int64(min(float64(s.rows)/s.density, float64(limit+1)))
	}
	if s.span > 0 {
		span = min(span, 2*s.span)
	}
	if span > limit {
		return 0, 0, false
	}
	s.span = max(span, 1)
	rows = s.span
	if s.density > 0 {
		rows = max(1, min(s.span, int64(float64(s.span)*s.density)))
	}
	return s.span, rows, true
}

// observe learns the density of a checked chunk (after, through].
func (s *spanCutter) observe(after, through []Value, rows int64) {
	if through == nil {
		return
	}
	lo, ok := s.base(after)
	if !ok {
		return
	}
	hi, ok := new(big.Int).SetString(string(through[0].B), 10)
	if !ok {
		return
	}
	keys := new(big.Int).Sub(hi, lo)
	if keys.Sign() <= 0 {
		return
	}
	f, _ := new(big.Float).SetInt(keys).Float64()
	d := float64(rows) / f
	if rows == 0 {
		d = 0.5 / f // an empty chunk: sparser than one row in its span
	}
	s.mu.Lock()
	s.density = min(1, d)
	s.mu.Unlock()
}
