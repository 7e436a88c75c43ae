package engine

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"strings"

	"github.com/jackc/pgx/v5"
)

// loadRows sends the rows of b with the COPY protocol, in COPY's text
// format: the server reads every value from its text exactly as it reads
// a literal, without a conversion in between. It runs in the transaction
// open on conn, so the chunk's checkpoint commits with its rows.
func (postgresDialect) loadRows(ctx context.Context, conn *sql.Conn, u *Upserter, b *Batch) (bool, error) {
	buf := appendCopyText(nil, b)
	err := pgRaw(conn, func(c *pgx.Conn) error {
		_, err := c.PgConn().CopyFrom(ctx, bytes.NewReader(buf), u.copyStatement())
		return err
	})
	return true, err
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

// appendCopyText writes b's rows in COPY's text format: tab between
// values, newline after each row, \N for NULL, bytes as \\x and hex.
func appendCopyText(dst []byte, b *Batch) []byte {
	for r := 0; r < b.Len(); r++ {
		for c := 0; c < b.cols; c++ {
			if c > 0 {
				dst = append(dst, '\t')
			}
			dst = appendCopyValue(dst, b.Value(r, c))
		}
		dst = append(dst, '\n')
	}
	return dst
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
