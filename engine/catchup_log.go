package engine

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The change log is a table on the source that the application (or the
// triggers InstallTriggers creates) fills with one row per changed row:
//
//	id         integer, auto-increment          the log position
//	table_name text (or "tbl")                  the changed table
//	pk         text                             the changed row's key
//	changed_at datetime/timestamp, optional     when, in UTC (MySQL TIMESTAMP or UTC text)
//
// pk is the key value as text for a single-column key (bytes in hex), and a
// JSON array of the values in key order for a composite key, e.g. [42,"EU"].
// Inserts, updates and deletes are logged alike: the catch-up re-reads the
// row from the source, which tells which it was.

// changeLog reads one change-log table.
type changeLog struct {
	d       *DB
	name    string
	tblCol  string // "table_name" or "tbl"
	hasTime bool   // a changed_at column exists
	ident   string // its identity, "" for none (see catchup_log_ident.go)
}

// logEntry is one change-log row.
type logEntry struct {
	id    int64
	table string
	pk    string
}

func openChangeLog(ctx context.Context, d *DB, name string) (*changeLog, error) {
	t, err := d.describe(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("change log %s: %w", name, err)
	}
	l := &changeLog{d: d, name: name}
	for _, want := range []string{"id", "pk"} {
		if t.Column(want) == nil {
			return nil, fmt.Errorf("change log %s in %s has no %s column (want id, table_name, pk, changed_at)", name, d, want)
		}
	}
	switch {
	case t.Column("table_name") != nil:
		l.tblCol = "table_name"
	case t.Column("tbl") != nil:
		l.tblCol = "tbl"
	default:
		return nil, fmt.Errorf("change log %s in %s has no table_name column (want id, table_name, pk, changed_at)", name, d)
	}
	l.hasTime = t.Column("changed_at") != nil
	if l.ident, err = logIdent(ctx, d, name); err != nil {
		return nil, err
	}
	return l, nil
}

// gapPage is how many gap ranges one query reads again.
const gapPage = 200

// read returns the log rows after the position: the next rows above
// MaxSeen (at most limit) and any that have appeared in the oldest gapPage
// gaps. checked is the last id of those gaps (0 when there are none): the
// gaps above it were not looked at again.
func (l *changeLog) read(ctx context.Context, conn *sql.Conn, pos *LogPosition, limit int) (out []logEntry, checked int64, err error) {
	q := "SELECT id, " + l.d.Quote(l.tblCol) + ", pk FROM " + l.d.Quote(l.name)
	out, err = l.query(ctx, conn, q+" WHERE id > ? ORDER BY id LIMIT "+strconv.Itoa(limit), pos.MaxSeen)
	if err != nil {
		return nil, 0, err
	}
	page := pos.Gaps[:min(gapPage, len(pos.Gaps))]
	if len(page) == 0 {
		return out, 0, nil
	}
	more, err := l.readRanges(ctx, conn, page)
	if err != nil {
		return nil, 0, err
	}
	return append(more, out...), page[len(page)-1].To, nil
}

// readRanges returns the log rows in the id ranges gaps, however many,
// gapPage ranges a query. A gap is given up only after such a last look:
// past the first page, a transaction that committed late would otherwise
// be taken for one that rolled back.
func (l *changeLog) readRanges(ctx context.Context, conn *sql.Conn, gaps []GapRange) ([]logEntry, error) {
	q := "SELECT id, " + l.d.Quote(l.tblCol) + ", pk FROM " + l.d.Quote(l.name)
	var out []logEntry
	for len(gaps) > 0 {
		page := gaps[:min(gapPage, len(gaps))]
		gaps = gaps[len(page):]
		cond, args := rangesPredicate("id", page)
		more, err := l.query(ctx, conn, q+" WHERE "+cond+" ORDER BY id", args...)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	return out, nil
}

func (l *changeLog) query(ctx context.Context, conn *sql.Conn, q string, args ...any) ([]logEntry, error) {
	rows, err := conn.QueryContext(ctx, l.d.dialect.bind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("read change log %s in %s: %w", l.name, l.d, err)
	}
	defer rows.Close()
	var out []logEntry
	for rows.Next() {
		var e logEntry
		var pk []byte
		if err := rows.Scan(&e.id, &e.table, &pk); err != nil {
			return nil, fmt.Errorf("read change log %s in %s: %w", l.name, l.d, err)
		}
		e.pk = string(pk)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read change log %s in %s: %w", l.name, l.d, err)
	}
	return out, nil
}

// maxID is the highest id in the log (0 when empty).
func (l *changeLog) maxID(ctx context.Context, conn *sql.Conn) (int64, error) {
	var n sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT MAX(id) FROM "+l.d.Quote(l.name)).Scan(&n); err != nil {
		return 0, fmt.Errorf("read change log %s in %s: %w", l.name, l.d, err)
	}
	return n.Int64, nil
}

// oldestAge is the age, by the source's clock, of the oldest change above
// the position; ok is false when there is none or the log has no time.
func (l *changeLog) oldestAge(ctx context.Context, conn *sql.Conn, after int64) (age time.Duration, ok bool, err error) {
	if !l.hasTime {
		return 0, false, nil
	}
	q := "SELECT " + l.d.dialect.sql().changeLogAge + " FROM " + l.d.Quote(l.name) + " WHERE id > ? ORDER BY id LIMIT 1"
	var us sql.NullInt64
	err = conn.QueryRowContext(ctx, l.d.dialect.bind(q), after).Scan(&us)
	if isNoRows(err) || (err == nil && !us.Valid) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("read change log %s in %s: %w", l.name, l.d, err)
	}
	return max(time.Duration(us.Int64)*time.Microsecond, 0), true, nil
}

// parseLogKey turns a logged pk into key values for table t.
func parseLogKey(pk string, t *Table) ([]Value, error) {
	var texts []string
	var nulls []bool
	if len(t.Key) == 1 {
		texts, nulls = []string{pk}, []bool{false}
	} else {
		dec := json.NewDecoder(strings.NewReader(pk))
		dec.UseNumber()
		var parts []any
		if err := dec.Decode(&parts); err != nil {
			return nil, fmt.Errorf("key %q of %s: want a JSON array of %d values", pk, t.Name, len(t.Key))
		}
		if len(parts) != len(t.Key) {
			return nil, fmt.Errorf("key %q of %s: %d values, the key has %d columns", pk, t.Name, len(parts), len(t.Key))
		}
		for _, p := range parts {
			switch x := p.(type) {
			case nil:
				texts, nulls = append(texts, ""), append(nulls, true)
			case json.Number:
				texts, nulls = append(texts, x.String()), append(nulls, false)
			case string:
				texts, nulls = append(texts, x), append(nulls, false)
			case bool:
				s := "0"
				if x {
					s = "1"
				}
				texts, nulls = append(texts, s), append(nulls, false)
			default:
				return nil, fmt.Errorf("key %q of %s: a key value cannot be %T", pk, t.Name, p)
			}
		}
	}
	out := make([]Value, len(texts))
	for i, s := range texts {
		if nulls[i] {
			continue // KindNull
		}
		out[i] = keyValue(s, &t.Columns[t.Key[i]])
	}
	return out, nil
}

// keyValue is logged key text as a value of column c, of the kind that
// makes the right literal.
func keyValue(s string, c *Column) Value {
	b := []byte(s)
	switch c.Family {
	case FamInt, FamBool, FamYear:
		if isPlainDecimal(b) && !bytes.ContainsRune(b, '.') {
			return Value{Kind: KindInt, B: b}
		}
	case FamUint:
		if isPlainDecimal(b) && !bytes.ContainsRune(b, '.') {
			return Value{Kind: KindUint, B: b}
		}
	case FamDecimal:
		if isPlainDecimal(b) {
			return Value{Kind: KindDecimal, B: b}
		}
	case FamFloat, FamDouble:
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return Value{Kind: KindFloat, B: b}
		}
	case FamBytes, FamBit:
		if raw, err := hex.DecodeString(s); err == nil {
			return Value{Kind: KindBytes, B: raw}
		}
		return Value{Kind: KindBytes, B: b}
	}
	return Value{Kind: KindText, B: b}
}
