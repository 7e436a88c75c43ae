package engine

import (
	"bytes"
	"encoding/hex"
	"strconv"
	"strings"
)

// Quote quotes an identifier for this database.
func (d *DB) Quote(id string) string { return d.dialect.quote(id) }

// AppendLiteral appends v as an SQL literal for this database, chosen so that
// the stored value is exactly v: see the package comment.
func (d *DB) AppendLiteral(dst []byte, v Value) []byte { return d.dialect.appendLiteral(dst, v) }

func appendMySQLLiteral(dst []byte, v Value) []byte {
	switch v.Kind {
	case KindNull:
		return append(dst, "NULL"...)
	case KindInt, KindUint, KindFloat, KindDecimal:
		if isNumber(v.B) {
			return append(dst, v.B...)
		}
		return appendMySQLString(dst, v.B)
	case KindBytes:
		return appendHex(dst, v.B)
	default:
		return appendMySQLString(dst, v.B)
	}
}

func appendSQLiteLiteral(dst []byte, v Value) []byte {
	switch v.Kind {
	case KindNull:
		return append(dst, "NULL"...)
	case KindInt:
		if isNumber(v.B) {
			return append(dst, v.B...)
		}
	case KindUint:
		// Above int64 SQLite would turn the digits into a REAL; as text they stay exact.
		if _, err := strconv.ParseInt(string(v.B), 10, 64); err == nil {
			return append(dst, v.B...)
		}
	case KindFloat:
		if isNumber(v.B) {
			dst = append(dst, v.B...)
			if !bytes.ContainsAny(v.B, ".eE") {
				dst = append(dst, ".0"...) // keeps the REAL storage class
			}
			return dst
		}
	case KindBytes:
		return appendHex(dst, v.B)
	}
	// Text, decimals (a NUMERIC affinity would round them through a double),
	// and anything that is not plain digits.
	return appendSQLiteString(dst, v.B)
}

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

// mysqlEscape marks the bytes that need a backslash inside a quoted string.
var mysqlEscape = [256]byte{0: '0', '\'': '\'', '\\': '\\', '\n': 'n', '\r': 'r', 0x1a: 'Z'}

// appendMySQLString quotes b for MySQL with backslash escapes (the session
// sql_mode set by Open never has NO_BACKSLASH_ESCAPES).
func appendMySQLString(dst, b []byte) []byte {
	dst = append(dst, '\'')
	start := 0
	for i, c := range b {
		if e := mysqlEscape[c]; e != 0 {
			dst = append(dst, b[start:i]...)
			dst = append(dst, '\\', e)
			start = i + 1
		}
	}
	dst = append(dst, b[start:]...)
	return append(dst, '\'')
}

// appendSQLiteString quotes b for SQLite; a string holding a NUL byte, which
// SQL text cannot carry, is written as a hex blob cast to text.
func appendSQLiteString(dst, b []byte) []byte {
	if bytes.IndexByte(b, 0) >= 0 {
		dst = append(dst, "CAST("...)
		dst = appendHex(dst, b)
		return append(dst, " AS TEXT)"...)
	}
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
