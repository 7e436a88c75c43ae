package engine

import (
	"context"
	"database/sql"
	"encoding/hex"
	"io"
	"strings"

	"github.com/jackc/pgx/v5"
)

// loadRows sends the rows of b with the COPY protocol, in COPY's text
// format: the server reads every value from its text exactly as it reads
// a literal, without a conversion in between. It runs in the transaction
// open on conn, so the chunk's checkpoint commits with its rows.
func (postgresDialect) loadRows(ctx context.Context, conn *sql.Conn, u *Upserter, b *Batch) (bool, error) {
	err := pgRaw(conn, func(c *pgx.Conn) error {
		_, err := c.PgConn().CopyFrom(ctx, &copyTextReader{b: b}, u.copyStatement())
		return err
	})
	return true, err
}

// copyTextReader reads a batch's rows in COPY's text format, a row at a
// time as the driver asks for them: the text of a whole chunk, its bytes
// in hex, is never held at once.
type copyTextReader struct {
	b       *Batch
	row     int
	pending []byte // the rest of a row that did not fit the last read
	buf     []byte
}

func (r *copyTextReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(r.pending) == 0 {
			if r.row == r.b.Len() {
				break
			}
			r.buf = appendCopyRow(r.buf[:0], r.b, r.row)
			r.pending = r.buf
			r.row++
		}
		c := copy(p[n:], r.pending)
		r.pending = r.pending[c:]
		n += c
	}
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

// copyStatement is COPY … FROM STDIN of the upserter's table and columns.
func (u *Upserter) copyStatement() string { return "COPY " + u.copyTarget() + " FROM STDIN" }

// copyTarget is the upserter's table and column list, as COPY names them.
func (u *Upserter) copyTarget() string {
	into, _, _ := strings.Cut(strings.TrimPrefix(u.prefix, "INSERT INTO "), " VALUES ")
	return into
}

// copyEscape marks the bytes COPY's text format escapes with a backslash.
var copyEscape = [256]byte{'\\': '\\', '\n': 'n', '\r': 'r', '\t': 't', '\v': 'v', '\b': 'b', '\f': 'f'}

// appendCopyRow writes row r of b in COPY's text format.
func appendCopyRow(dst []byte, b *Batch, r int) []byte {
	for c := 0; c < b.cols; c++ {
		if c > 0 {
			dst = append(dst, '\t')
		}
		dst = appendCopyValue(dst, b.Value(r, c))
	}
	return append(dst, '\n')
}

func appendCopyValue(dst []byte, v Value) []byte {
	switch v.Kind {
	case KindNull:
		return append(dst, `\N`...)
	case KindBytes:
		dst = append(dst, `\\x`...)
		return hex.AppendEncode(dst, v.B)
	case KindFloat:
		switch string(v.B) {
		case "9e999":
			return append(dst, "Infinity"...)
		case "-9e999":
			return append(dst, "-Infinity"...)
		}
	}
	start := 0
	for i, c := range v.B {
		if e := copyEscape[c]; e != 0 {
			dst = append(dst, v.B[start:i]...)
			dst = append(dst, '\\', e)
			start = i + 1
		}
	}
	return append(dst, v.B[start:]...)
}
