package engine

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unsafe"
)

// Execer runs statements: a *sql.Tx, *sql.Conn or *sql.DB.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Upserter writes batches of rows as idempotent multi-row upserts: MySQL
// INSERT … ON DUPLICATE KEY UPDATE, SQLite INSERT … ON CONFLICT(key) DO
// UPDATE. Rows already present are overwritten with the new values, so
// writing the same batch twice leaves the same table. Never REPLACE (which
// deletes and fires delete triggers and cascades) nor INSERT IGNORE (which
// keeps stale rows and hides errors).
//
// On MySQL, runs of PreparedRows rows go through one server-side prepared
// statement with the values sent in the binary protocol: the server then
// skips lexing every literal, which measured a quarter less server CPU than
// the same rows as SQL text. Every value is sent as the bytes read (NULL as
// NULL), and the server converts them exactly as it would the quoted
// literal. Remaining rows, and runs too large for one packet, go as SQL text
// with literals (see AppendLiteral).
type Upserter struct {
	d      *DB
	cols   int
	prefix string // INSERT INTO t (cols) VALUES
	suffix string // ON DUPLICATE KEY UPDATE … / ON CONFLICT … DO UPDATE SET …
	// MaxStatement is the size in bytes at which a text statement is sent.
	MaxStatement int
	// PreparedRows is the number of rows per prepared statement; 0 = text only.
	PreparedRows int
	maxPacket    int
	buf          []byte
	argBufs      [2][]any // one being sent, one being filled
	// stmt is the prepared run statement, kept across transactions: each
	// connection prepares it once instead of once per chunk.
	stmt      *sql.Stmt
	stmtQuery string
	runQ      string // runStatement's text, for runRows rows
	runRows   int
	// asText marks the target columns that store text (MySQL CHAR, VARCHAR,
	// TEXT, ENUM, SET, JSON): a number read from a SQLite source goes to them
	// as its digits in a string, so that ENUM stores the member '2' rather
	// than the second member, JSON gets valid JSON text, and a float keeps
	// the spelling it was read with.
	asText []bool
	// asBytes marks the target columns whose text goes as the bytes read,
	// unconverted (MySQL ascii, see asciiText): as a hex literal, or a
	// parameter the statement casts to a byte string.
	asBytes []bool
	// lax marks MySQL ENUM columns that can hold the error value '' (see
	// laxEnums); names are the columns' names. nil when there are none.
	lax   []bool
	names []string
}

// Close releases the prepared statement kept by Write.
func (u *Upserter) Close() error {
	if u.stmt == nil {
		return nil
	}
	err := u.stmt.Close()
	u.stmt, u.stmtQuery = nil, ""
	return err
}

// Ready prepares the statement that Write will use for b, if any. Call it
// before opening the transaction Write runs in: the first prepare happens on
// another pooled connection, and made while the transaction holds locks it
// could queue behind a DDL statement that waits for that transaction.
func (u *Upserter) Ready(ctx context.Context, b *Batch) error {
	if u.PreparedRows <= 0 || b.Len() < u.PreparedRows {
		return nil
	}
	return u.keep(ctx, u.runStatement())
}

// keep prepares q on the database unless it is the statement already kept.
func (u *Upserter) keep(ctx context.Context, q string) error {
	if u.stmt != nil && u.stmtQuery == q {
		return nil
	}
	u.Close()
	st, err := u.d.db.PrepareContext(ctx, q)
	if err != nil {
		return err
	}
	u.stmt, u.stmtQuery = st, q
	return nil
}

// prepare returns the statement q for ex. Inside a transaction it comes from
// the statement kept on the database, which each connection prepares once.
func (u *Upserter) prepare(ctx context.Context, p Preparer, q string) (*sql.Stmt, error) {
	tx, ok := p.(*sql.Tx)
	if !ok {
		return p.PrepareContext(ctx, q)
	}
	if err := u.keep(ctx, q); err != nil {
		return nil, err
	}
	return tx.StmtContext(ctx, u.stmt), nil
}

// runStatement is the upsert of PreparedRows rows, built once: Ready and Write
// both ask for it on every chunk.
func (u *Upserter) runStatement() string {
	if u.runRows != u.PreparedRows {
		marks := make([]string, u.cols)
		for i := range marks {
			marks[i] = "?"
			if u.asBytes != nil && u.asBytes[i] {
				marks[i] = "CAST(? AS BINARY)"
			}
		}
		row := "(" + strings.Join(marks, ",") + ")"
		u.runQ = u.prefix + strings.TrimSuffix(strings.Repeat(row+",", u.PreparedRows), ",") + u.suffix
		u.runRows = u.PreparedRows
	}
	return u.runQ
}

// NewUpserter prepares upserts into t, a table of d. cols are the column
// names in the order of the batches' columns; key names the key columns.
func (d *DB) NewUpserter(ctx context.Context, t *Table, cols, key []string) *Upserter {
	u := &Upserter{d: d, cols: len(cols)}
	u.prefix = "INSERT INTO " + d.Quote(t.Name) + " (" + d.quoteList(cols) + ") VALUES "
	var set []string
	for _, c := range cols {
		isKey := false
		for _, k := range key {
			if strings.EqualFold(c, k) {
				isKey = true
			}
		}
		if isKey {
			continue
		}
		set = append(set, d.dialect.upsertSet(d.Quote(c)))
	}
	if len(set) == 0 { // every column is a key column: nothing to update
		set = append(set, d.dialect.upsertKeep(d.Quote(key[0])))
	}
	u.suffix = d.dialect.upsertSuffix(d.quoteList(key), set)
	d.dialect.tuneUpserter(ctx, d, u, t, cols)
	return u
}

// upsertSuffix turns an INSERT into an upsert of the columns set on a
// conflict of key (names as spelled in SQL).
func upsertSuffix(d *DB, key, set []string) string {
	a := make([]string, len(set))
	for i, c := range set {
		a[i] = d.dialect.upsertSet(c)
	}
	return d.dialect.upsertSuffix(strings.Join(key, ", "), a)
}

// preparedRunRows is the number of rows per prepared upsert on MySQL for a
// table of cols columns: runs of 500 rows, under 65,535 placeholders.
func preparedRunRows(cols int) int {
	return max(1, min(500, 60000/max(cols, 1)))
}

// Preparer prepares statements: a *sql.Tx, *sql.Conn or *sql.DB.
type Preparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// Write upserts every row of b through ex.
func (u *Upserter) Write(ctx context.Context, ex Execer, b *Batch) error {
	if b.cols != u.cols {
		return fmt.Errorf("upsert: batch has %d columns, statement %d", b.cols, u.cols)
	}
	if rows := u.laxRows(b); rows != nil {
		return u.writeLax(ctx, ex, b, rows)
	}
	p, ok := ex.(Preparer)
	if !ok || u.PreparedRows <= 0 || b.Len() < u.PreparedRows {
		return u.writeText(ctx, ex, b, 0, b.Len())
	}
	return u.writePrepared(ctx, p, ex, b)
}

// writePrepared sends runs of PreparedRows rows through one prepared
// statement and the rest as text. The values of the next run are gathered
// while the server executes the current one.
func (u *Upserter) writePrepared(ctx context.Context, p Preparer, ex Execer, b *Batch) error {
	per := u.PreparedRows
	st, err := u.prepare(ctx, p, u.runStatement())
	if err != nil {
		return err
	}
	defer st.Close()
	for i := range u.argBufs {
		if len(u.argBufs[i]) != per*b.cols {
			u.argBufs[i] = make([]any, per*b.cols)
		}
	}
	free := make(chan []any, len(u.argBufs))
	for _, a := range u.argBufs {
		free <- a
	}
	type run struct {
		from, to int
		args     []any // nil: values too large for one packet, sent as text
	}
	runs := make(chan run, 1)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	defer wg.Wait() // the gatherer reads b: it must be gone before b is reused
	defer close(stop)
	n := b.Len()
	limit := max(u.maxPacket/2, 64<<10)
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(runs)
		for r := 0; r+per <= n; r += per {
			var args []any
			if b.rowsBytes(r, r+per) <= limit {
				select {
				case args = <-free:
				case <-stop:
					return
				}
				for i := range args {
					c := i % b.cols
					args[i] = param(b.Value(r+i/b.cols, c), u.asText[c])
				}
			}
			select {
			case runs <- run{r, r + per, args}:
			case <-stop:
				return
			}
		}
	}()
	done := 0
	for rn := range runs {
		if rn.args == nil {
			err = u.writeText(ctx, ex, b, rn.from, rn.to)
		} else {
			_, err = st.ExecContext(ctx, rn.args...)
			free <- rn.args
		}
		if err != nil {
			return err
		}
		done = rn.to
	}
	for _, a := range u.argBufs {
		clear(a) // do not keep the batch's memory reachable
	}
	return u.writeText(ctx, ex, b, done, n)
}

// param is v as a prepared statement's parameter: integers as binary
// integers (the server then stores them without parsing digits) unless the
// column stores text, anything else as the bytes read, NULL as nil.
func param(v Value, text bool) any {
	switch {
	case v.Kind == KindNull:
		return nil
	case text:
		return v.B
	}
	switch v.Kind {
	case KindInt:
		if n, err := strconv.ParseInt(unsafe.String(unsafe.SliceData(v.B), len(v.B)), 10, 64); err == nil {
			return n
		}
	case KindUint:
		if n, err := strconv.ParseUint(unsafe.String(unsafe.SliceData(v.B), len(v.B)), 10, 64); err == nil {
			return n
		}
	}
	return v.B
}

// writeText upserts rows [from, to) of b as SQL text, in statements of about
// MaxStatement bytes.
func (u *Upserter) writeText(ctx context.Context, ex Execer, b *Batch, from, to int) error {
	rows := 0
	u.buf = append(u.buf[:0], u.prefix...)
	for r := from; r < to; r++ {
		if rows > 0 {
			u.buf = append(u.buf, ',')
		}
		u.buf = append(u.buf, '(')
		for c := 0; c < b.cols; c++ {
			if c > 0 {
				u.buf = append(u.buf, ',')
			}
			u.buf = u.appendValue(u.buf, b.Value(r, c), c)
		}
		u.buf = append(u.buf, ')')
		rows++
		if len(u.buf) >= u.MaxStatement {
			if err := u.flush(ctx, ex); err != nil {
				return err
			}
			rows = 0
			u.buf = append(u.buf[:0], u.prefix...)
		}
	}
	if rows > 0 {
		return u.flush(ctx, ex)
	}
	return nil
}

// appendValue appends v, a value for column c, as a literal.
func (u *Upserter) appendValue(buf []byte, v Value, c int) []byte {
	switch {
	case u.asBytes != nil && u.asBytes[c] && v.Kind == KindText:
		return u.d.AppendLiteral(buf, Value{Kind: KindBytes, B: v.B})
	case u.asText != nil && u.asText[c] && v.Kind.numeric():
		return u.d.AppendLiteral(buf, Value{Kind: KindText, B: v.B})
	}
	return u.d.AppendLiteral(buf, v)
}

func (u *Upserter) flush(ctx context.Context, ex Execer) error {
	u.buf = append(u.buf, u.suffix...)
	// The statement text is only read during the call; converting without a
	// copy saves one allocation of up to a megabyte per statement.
	q := unsafe.String(unsafe.SliceData(u.buf), len(u.buf))
	_, err := ex.ExecContext(ctx, q)
	return err
}

// Delete deletes the rows of t whose keys are in keys, in statements of at
// most 1000 keys.
func (d *DB) Delete(ctx context.Context, ex Execer, t *Table, keys [][]Value) (int64, error) {
	var total int64
	for len(keys) > 0 {
		n := min(len(keys), 1000)
		res, err := ex.ExecContext(ctx, "DELETE FROM "+d.Quote(t.Name)+" WHERE "+d.KeyIn(t, keys[:n]))
		if err != nil {
			return total, fmt.Errorf("delete %d keys from %s in %s: %w", n, t.Name, d, err)
		}
		if a, err := res.RowsAffected(); err == nil {
			total += a
		}
		keys = keys[n:]
	}
	return total, nil
}
