package engine

import (
	"bytes"
	"encoding/hex"
	"strings"
)

// Quote quotes an identifier for this database.
func (d *DB) Quote(id string) string { return d.dialect.quote(id) }

// AppendLiteral appends v as an SQL literal for this database, chosen so that
// the stored value is exactly v: see the package comment.
func (d *DB) AppendLiteral(dst []byte, v Value) []byte { return d.dialect.appendLiteral(dst, v) }

// isNumber accepts the texts engines print for numbers: digits, sign, point,
// exponent. Anything else is quoted, so a literal can never inject SQL.
func isNumber(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	digit := false
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E':
		default:
			return false
		}
	}
	return digit
}

func appendHex(dst, b []byte) []byte {
	dst = append(dst, "X'"...)
	dst = hex.AppendEncode(dst, b)
	return append(dst, '\'')
}

// Literal is AppendLiteral as a string.
func (d *DB) Literal(v Value) string { return string(d.AppendLiteral(nil, v)) }

// quoteList quotes names and joins them with commas.
func (d *DB) quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = d.Quote(n)
	}
	return strings.Join(q, ", ")
}

// appendQuoted appends b as a standard SQL string literal: in single
// quotes, each quote doubled (PostgreSQL with standard_conforming_strings,
// SQLite). b holds no NUL byte.
func appendQuoted(dst, b []byte) []byte {
	dst = append(dst, '\'')
	for {
		i := bytes.IndexByte(b, '\'')
		if i < 0 {
			break
		}
		dst = append(dst, b[:i+1]...)
		dst = append(dst, '\'')
		b = b[i+1:]
	}
	dst = append(dst, b...)
	return append(dst, '\'')
}
