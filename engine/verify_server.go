package engine

import (
	"context"
	"database/sql"
	"fmt"
)

// Server-side checksums (MySQL/MariaDB on both sides, same column types).
//
// Each row becomes one text, CONCAT_WS(0xFF, …) of a NULL bitmap,
// CONCAT(ISNULL(a), ISNULL(b), …) of the nullable columns, and the columns
// (CONCAT_WS skips NULLs, and the bitmap says which were skipped). The text
// reads back to exactly one row, so two different rows never share it:
//   - 0xFF never occurs in UTF-8 text (the server refuses it there), nor
//     in numbers and dates as the server prints them;
//   - byte strings and text in any other character set are written as
//     "<byte length>:<bytes>", so a 0xFF inside them is skipped over;
//   - FLOAT goes through a DOUBLE (the server prints FLOAT with 6 digits,
//     which would hide a difference in the 7th), BIT as its number.
//
// A chunk is first compared by COUNT(*) and one SHA1 of its row texts
// joined by 0xFE, in the order the server reads them (the key's, on
// InnoDB): equal lists mean equal rows. A table whose rows are too long
// for the server to hold a chunk's texts (listMaxBytes) hashes each row's
// SHA1 instead. Where the lists differ with equal counts, the rows may
// only be in another order, and the order-blind checksum below decides.
//
// That checksum is COUNT(*) and SUM over its rows of the first 64 bits
// of SHA1(row text), summed exactly (DECIMAL, no overflow). Unlike
// BIT_XOR(CRC32(…)): SHA1 is not linear, so equal edits in two rows do not
// cancel; a sum, unlike XOR, does not cancel a row that appears twice, and
// the count catches it as well. Two different chunks agree only if the sums
// of pseudo-random 64-bit values agree: about 2^-64 per differing chunk.
// SHA1 rather than MD5: both servers compute it with hardware help, and it
// costs a third of MD5 there.

// checksumsOnBoth reports whether src and dst are of one kind whose servers
// checksum rows (verify's server method, where the column types agree).
func checksumsOnBoth(src, dst *DB) bool {
	return sameDialect(src, dst) && src.dialect.checksums() != nil
}

// rangeWhere is the WHERE clause of chunk (after, through] with the filter.
func rangeWhere(d *DB, t *Table, after, through []Value, where string) string {
	var a, b, w string
	if after != nil {
		a = d.After(t, after)
	}
	if through != nil {
		b = d.Through(t, through)
	}
	if where != "" {
		w = "(" + where + ")"
	}
	return and(a, b, w)
}

// chunkSum is one side's checksum of a chunk.
type chunkSum struct {
	rows int64
	sum  string // exact decimal text
}

// serverChunkSum runs the checksum of one chunk on d.
func serverChunkSum(ctx context.Context, d *DB, conn *sql.Conn, t *Table, expr string, after, through []Value, where string) (chunkSum, error) {
	q := "SELECT COUNT(*), " + d.dialect.checksums().hashSum(expr) + " FROM " +
		d.Quote(t.Name) + rangeWhere(d, t, after, through, where)
	var s chunkSum
	if err := conn.QueryRowContext(ctx, q).Scan(&s.rows, &s.sum); err != nil {
		return s, fmt.Errorf("checksum %s in %s: %w", t.Name, d, err)
	}
	if err := d.dialect.checksums().checkWarnings(ctx, conn); err != nil {
		return s, fmt.Errorf("checksum %s in %s: %w", t.Name, d, err)
	}
	return s, nil
}

// listMaxBytes bounds the list a server holds for one chunk's checksum.
const listMaxBytes = 64 << 20

// listBytes is the most a server holds for one chunk's list.
func (tv *tableVerify) listBytes() int64 {
	if tv.opts.listBytes > 0 {
		return tv.opts.listBytes
	}
	return listMaxBytes
}

// chunkList says how a chunk's order-sensitive checksum is taken.
type chunkList struct {
	whole    bool  // over the row texts themselves (see serverChecksum.hashList)
	maxBytes int64 // the most a server holds for one list
}

// serverChunkList runs the order-sensitive checksum of one chunk on d (see
// serverChecksum.hashList). ok is false when the list did not cover every
// row of the chunk: the caller then uses serverChunkSum.
func serverChunkList(ctx context.Context, d *DB, conn *sql.Conn, t *Table, expr string, after, through []Value, where string, l chunkList) (s chunkSum, ok bool, err error) {
	cs := d.dialect.checksums()
	if _, err := conn.ExecContext(ctx, cs.listSession(l.maxBytes)); err != nil {
		return s, false, fmt.Errorf("checksum %s in %s: %w", t.Name, d, err)
	}
	q := "SELECT COUNT(*), " + cs.hashList(expr, d.OrderBy(t), l.whole) + " FROM " + d.Quote(t.Name) + rangeWhere(d, t, after, through, where)
	if err := conn.QueryRowContext(ctx, q).Scan(&s.rows, &s.sum); err != nil {
		return s, false, fmt.Errorf("checksum %s in %s: %w", t.Name, d, err)
	}
	ok, err = cs.listComplete(ctx, conn, s.rows, l.maxBytes, l.whole)
	if err != nil {
		return s, false, fmt.Errorf("checksum %s in %s: %w", t.Name, d, err)
	}
	return s, ok, nil
}

// serverRowHashes reads the key and the first 64 bits of SHA1(row text) of
// every row of a chunk, in key order, into b (key columns, then the hash).
func serverRowHashes(ctx context.Context, d *DB, conn *sql.Conn, t *Table, expr string, after, through []Value, where string, b *Batch) error {
	q := "SELECT " + d.selectList(t, t.Key) + ", " + d.dialect.checksums().hashHex(expr) + " FROM " + d.Quote(t.Name) +
		rangeWhere(d, t, after, through, where) + " ORDER BY " + d.OrderBy(t)
	syn, cols := hashTable(t)
	var more bool
	if err := d.query(ctx, conn, q, syn, cols, b, 0, &more); err != nil {
		return fmt.Errorf("read row hashes of %s in %s: %w", t.Name, d, err)
	}
	if err := d.dialect.checksums().checkWarnings(ctx, conn); err != nil {
		return fmt.Errorf("read row hashes of %s in %s: %w", t.Name, d, err)
	}
	return nil
}

// hashTable describes the rows serverRowHashes returns: t's key columns and
// a text column holding the hash.
func hashTable(t *Table) (*Table, []int) {
	syn := &Table{Name: t.Name}
	var cols []int
	for i, k := range t.Key {
		syn.Columns = append(syn.Columns, t.Columns[k])
		syn.Key = append(syn.Key, i)
		cols = append(cols, i)
	}
	syn.Columns = append(syn.Columns, Column{Name: "row_sha1", Family: FamText})
	cols = append(cols, len(t.Key))
	return syn, cols
}

// nthKey returns the key of the n-th row after after (1-based) in key order,
// nil when fewer rows remain: the inclusive upper bound of the next chunk.
func nthKey(ctx context.Context, d *DB, conn *sql.Conn, t *Table, after []Value, where string, n int) ([]Value, error) {
	q := d.SelectSQL(Read{Table: t, Cols: t.Key, After: after, Where: where, Limit: 1})
	q += fmt.Sprintf(" OFFSET %d", n-1)
	k, err := firstKey(ctx, d, conn, t, q)
	if err != nil {
		return nil, fmt.Errorf("find chunk bounds of %s in %s: %w", t.Name, d, err)
	}
	return k, nil
}

// firstKey runs q, which reads t's key columns, and returns a copy of the
// first row's key; nil when there is no row.
func firstKey(ctx context.Context, d *DB, conn *sql.Conn, t *Table, q string) ([]Value, error) {
	b := NewBatch(len(t.Key))
	var more bool
	if err := d.query(ctx, conn, q, t, t.Key, b, 0, &more); err != nil {
		return nil, err
	}
	if b.Len() == 0 {
		return nil, nil
	}
	k := b.Row(nil, 0)
	for i := range k {
		k[i] = k[i].Clone()
	}
	return k, nil
}
