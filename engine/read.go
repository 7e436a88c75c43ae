package engine

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Read is one keyset read of a table.
type Read struct {
	Table   *Table
	Cols    []int   // columns to read, in this order; nil = t.Copied(). Must include the key.
	After   []Value // exclusive lower bound on the key; nil = from the first row
	Through []Value // inclusive upper bound on the key; nil = to the last row
	Where   string  // extra filter in the database's own SQL; "" = none
	Limit   int     // at most this many rows; 0 = no limit
	// MaxBytes stops the read early once the batch holds this many bytes
	// (More is then true); 0 = no limit.
	MaxBytes int
}

// ReadResult says what a Read returned.
type ReadResult struct {
	Rows int     // rows appended to the batch
	Last []Value // key of the last row read (a copy), nil when no rows
	More bool    // the read stopped at Limit or MaxBytes: rows may remain after Last
}

// SelectSQL is the statement a Read runs.
func (d *DB) SelectSQL(r Read) string {
	t := r.Table
	cols := r.Cols
	if cols == nil {
		cols = t.Copied()
	}
	var after, through, where string
	if r.After != nil {
		after = d.After(t, r.After)
	}
	if r.Through != nil {
		through = d.Through(t, r.Through)
	}
	if r.Where != "" {
		where = "(" + r.Where + ")"
	}
	q := "SELECT " + d.selectList(t, cols) + " FROM " + d.Quote(t.Name) + and(after, through, where) + " ORDER BY " + d.OrderBy(t)
	if r.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(r.Limit)
	}
	return q
}

// ReadChunk runs r on conn (a connection of d; nil = any from the pool) and
// appends the rows to b, which must have len(r.Cols) columns.
func (d *DB) ReadChunk(ctx context.Context, conn *sql.Conn, r Read, b *Batch) (ReadResult, error) {
	cols := r.Cols
	if cols == nil {
		cols = r.Table.Copied()
	}
	if b.Cols() != len(cols) {
		return ReadResult{}, fmt.Errorf("read %s: batch has %d columns, read has %d", r.Table.Name, b.Cols(), len(cols))
	}
	keyPos := make([]int, len(r.Table.Key))
	for i, k := range r.Table.Key {
		keyPos[i] = -1
		for j, c := range cols {
			if c == k {
				keyPos[i] = j
			}
		}
		if keyPos[i] < 0 {
			return ReadResult{}, fmt.Errorf("read %s: key column %s not among the columns read", r.Table.Name, r.Table.Columns[k].Name)
		}
	}
	q := d.SelectSQL(r)
	start := b.Len()
	var res ReadResult
	err := d.query(ctx, conn, q, r.Table, cols, b, r.MaxBytes, &res.More)
	res.Rows = b.Len() - start
	if err != nil {
		b.truncateRows(start)
		return ReadResult{}, fmt.Errorf("read %s from %s: %w", r.Table.Name, d, err)
	}
	if r.Limit > 0 && res.Rows >= r.Limit {
		res.More = true
	}
	if res.Rows > 0 {
		last := b.Len() - 1
		res.Last = make([]Value, len(keyPos))
		for i, p := range keyPos {
			res.Last[i] = b.Value(last, p).Clone()
		}
	}
	return res, nil
}

// ReadKeys reads the rows of t whose keys are in keys (cols must include the
// key), in key order, appending them to b. Keys with no row are simply absent.
func (d *DB) ReadKeys(ctx context.Context, conn *sql.Conn, t *Table, cols []int, keys [][]Value, b *Batch) (int, error) {
	if len(keys) == 0 {
		return 0, nil
	}
	if cols == nil {
		cols = t.Copied()
	}
	q := "SELECT " + d.selectList(t, cols) + " FROM " + d.Quote(t.Name) + " WHERE " + d.KeyIn(t, keys) + " ORDER BY " + d.OrderBy(t)
	start := b.Len()
	var more bool
	if err := d.query(ctx, conn, q, t, cols, b, 0, &more); err != nil {
		b.truncateRows(start)
		return 0, fmt.Errorf("read %d keys of %s from %s: %w", len(keys), t.Name, d, err)
	}
	return b.Len() - start, nil
}

// Count counts the rows of t after the key after (nil = all) matching where.
func (d *DB) Count(ctx context.Context, t *Table, after []Value, where string) (int64, error) {
	var a, w string
	if after != nil {
		a = d.After(t, after)
	}
	if where != "" {
		w = "(" + where + ")"
	}
	var n int64
	if err := d.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+d.Quote(t.Name)+and(a, w)).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s in %s: %w", t.Name, d, err)
	}
	return n, nil
}

// byteKinds is the kind of a []byte value the driver returns, by column:
// always bytes where the dialect says so, else by the column's family.
func (d *DB) byteKinds(t *Table, cols []int) []Kind {
	kinds := make([]Kind, len(cols))
	blobs := d.dialect.bytesAreBlobs()
	for i, c := range cols {
		switch {
		case blobs:
			kinds[i] = KindBytes
		case t.Columns[c].Family == FamDecimal:
			kinds[i] = KindDecimal
		case t.Columns[c].Family == FamBytes || t.Columns[c].Family == FamBit:
			kinds[i] = KindBytes
		default:
			kinds[i] = KindText
		}
	}
	return kinds
}

// stringKinds is the kind of a string value the driver returns, by
// column: text, except a decimal's digits where strings are not always text
// (PostgreSQL sends numeric as its text).
func (d *DB) stringKinds(t *Table, cols []int) []Kind {
	kinds := make([]Kind, len(cols))
	blobs := d.dialect.bytesAreBlobs()
	for i, c := range cols {
		kinds[i] = KindText
		if !blobs && t.Columns[c].Family == FamDecimal {
			kinds[i] = KindDecimal
		}
	}
	return kinds
}

// query runs q through the driver directly, so that values arrive without
// database/sql's conversions (MySQL bytes are copied once, SQLite storage
// classes are kept), and appends them to b.
func (d *DB) query(ctx context.Context, conn *sql.Conn, q string, t *Table, cols []int, b *Batch, maxBytes int, more *bool) error {
	if conn == nil {
		c, err := d.db.Conn(ctx)
		if err != nil {
			return err
		}
		defer c.Close()
		conn = c
	}
	kinds, skinds := d.byteKinds(t, cols), d.stringKinds(t, cols)
	return conn.Raw(func(dc any) error {
		qc, ok := dc.(driver.QueryerContext)
		if !ok {
			return errors.New("driver cannot run queries directly")
		}
		rows, err := qc.QueryContext(ctx, q, nil)
		if err != nil {
			return err
		}
		defer rows.Close()
		dest := make([]driver.Value, len(cols))
		if n := len(rows.Columns()); n != len(cols) {
			return fmt.Errorf("query returned %d columns, want %d", n, len(cols))
		}
		for {
			if err := rows.Next(dest); err != nil {
				if err == io.EOF {
					return nil
				}
				return err
			}
			for i, v := range dest {
				switch x := v.(type) {
				case nil:
					b.addNull()
				case []byte:
					b.add(kinds[i], x)
				case string:
					b.data = append(b.data, x...)
					b.kinds = append(b.kinds, skinds[i])
					b.ends = append(b.ends, uint32(len(b.data)))
				case int64:
					b.addInt(x)
				case uint64:
					b.addUint(x)
				case float64:
					b.addFloat(x, 64)
				case float32:
					b.addFloat(float64(x), 32)
				case bool:
					if x {
						b.addInt(1)
					} else {
						b.addInt(0)
					}
				case time.Time:
					b.add(KindText, []byte(x.UTC().Format("2006-01-02 15:04:05.999999999")))
				default:
					return fmt.Errorf("column %s: unexpected value type %T", t.Columns[cols[i]].Name, v)
				}
			}
			if maxBytes > 0 && len(b.data) >= maxBytes {
				*more = true
				return nil
			}
		}
	})
}
