package engine

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Server-side checksums (MySQL/MariaDB on both sides, same column types).
//
// Each row becomes one text, CONCAT_WS(0xFF, …) of its columns followed by a
// NULL bitmap, CONCAT(ISNULL(a), ISNULL(b), …) of the nullable columns
// (CONCAT_WS skips NULLs, and the bitmap says which were skipped). The text
// reads back to exactly one row, so two different rows never share it:
//   - 0xFF never occurs in UTF-8 (or ASCII) text, nor in numbers and dates
//     as the server prints them;
//   - byte strings and text in any other character set are written as
//     "<byte length>:<bytes>", so a 0xFF inside them is skipped over;
//   - FLOAT goes through a DOUBLE (the server prints FLOAT with 6 digits,
//     which would hide a difference in the 7th), BIT as its number.
//
// A chunk's checksum is COUNT(*) and SUM over its rows of the first 64 bits
// of SHA1(row text), summed exactly (DECIMAL, no overflow). Unlike
// BIT_XOR(CRC32(…)): SHA1 is not linear, so equal edits in two rows do not
// cancel; a sum, unlike XOR, does not cancel a row that appears twice, and
// the count catches it as well. Two different chunks agree only if the sums
// of pseudo-random 64-bit values agree: about 2^-64 per differing chunk.
// SHA1 rather than MD5: both servers compute it with hardware help, and it
// costs a third of MD5 there.

// serverRowExpr is the canonical row text of t's compared columns. utf8 says
// which text columns hold UTF-8 (or ASCII).
func serverRowExpr(d *DB, t *Table, cols []int, utf8 map[string]bool) string {
	parts := make([]string, 0, len(cols)+1)
	var nulls []string
	for _, c := range cols {
		col := t.Columns[c]
		q := d.Quote(col.Name)
		var e string
		switch col.Family {
		case FamInt, FamUint, FamDecimal, FamDouble, FamDate, FamDateTime, FamTimestamp, FamTime, FamYear, FamBool:
			e = q
		case FamFloat:
			e = q + "*1e0"
		case FamBit:
			e = q + "+0"
		case FamJSON:
			e = q // the server prints JSON as UTF-8
		case FamText:
			e = q
			if !utf8[strings.ToLower(col.Name)] {
				e = "CONCAT(LENGTH(" + q + "),':'," + q + ")"
			}
		default:
			e = "CONCAT(LENGTH(" + q + "),':'," + q + ")"
		}
		parts = append(parts, e)
		if col.Nullable {
			nulls = append(nulls, "ISNULL("+q+")")
		}
	}
	if len(nulls) > 0 {
		parts = append(parts, "CONCAT("+strings.Join(nulls, ",")+")")
	}
	return "CONCAT_WS(CAST(X'FF' AS BINARY)," + strings.Join(parts, ",") + ")"
}

// utf8Columns lists the columns of table name whose character set is UTF-8
// or ASCII, with their collation, lower-cased, for MySQL.
func utf8Columns(ctx context.Context, d *DB, name string) (map[string]bool, map[string]string, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT COLUMN_NAME, COALESCE(CHARACTER_SET_NAME, ''), COALESCE(COLLATION_NAME, '')
		FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?`, name)
	if err != nil {
		return nil, nil, fmt.Errorf("read character sets of %s in %s: %w", name, d, err)
	}
	defer rows.Close()
	utf8 := map[string]bool{}
	coll := map[string]string{}
	for rows.Next() {
		var col, cs, co string
		if err := rows.Scan(&col, &cs, &co); err != nil {
			return nil, nil, fmt.Errorf("read character sets of %s in %s: %w", name, d, err)
		}
		switch strings.ToLower(cs) {
		case "utf8", "utf8mb3", "utf8mb4", "ascii":
			utf8[strings.ToLower(col)] = true
		}
		coll[strings.ToLower(col)] = strings.ToLower(co)
	}
	return utf8, coll, rows.Err()
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
	q := "SELECT COUNT(*), COALESCE(SUM(CAST(CONV(LEFT(SHA1(" + expr + "),16),16,10) AS UNSIGNED)),0) FROM " +
		d.Quote(t.Name) + rangeWhere(d, t, after, through, where)
	var s chunkSum
	if err := conn.QueryRowContext(ctx, q).Scan(&s.rows, &s.sum); err != nil {
		return s, fmt.Errorf("checksum %s in %s: %w", t.Name, d, err)
	}
	return s, nil
}

// serverRowHashes reads the key and the first 64 bits of SHA1(row text) of
// every row of a chunk, in key order, into b (key columns, then the hash).
func serverRowHashes(ctx context.Context, d *DB, conn *sql.Conn, t *Table, expr string, after, through []Value, where string, b *Batch) error {
	keys := d.keyNames(t)
	q := "SELECT " + strings.Join(keys, ", ") + ", LEFT(SHA1(" + expr + "),16) FROM " + d.Quote(t.Name) +
		rangeWhere(d, t, after, through, where) + " ORDER BY " + d.OrderBy(t)
	syn, cols := hashTable(t)
	var more bool
	if err := d.query(ctx, conn, q, syn, cols, b, 0, &more); err != nil {
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
	b := NewBatch(len(t.Key))
	var more bool
	if err := d.query(ctx, conn, q, t, t.Key, b, 0, &more); err != nil {
		return nil, fmt.Errorf("find chunk bounds of %s in %s: %w", t.Name, d, err)
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
