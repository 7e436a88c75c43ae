package engine

import (
	"bytes"
	"math"
	"strconv"
)

// Canonical values. When the two sides are different engines (or MySQL
// tables whose column types differ) rows are compared in Go, value by value,
// after reducing each value to one canonical spelling, so that a row the copy
// engine copied compares equal and a real difference never does:
//
//   - NULL is a marker byte that no value starts with, so NULL and the empty
//     string differ;
//   - integers are their digits; floats (FLOAT, DOUBLE, SQLite REAL) are the
//     shortest text that reads back to the same double;
//   - DECIMAL is plain decimal text without trailing fractional zeros
//     ("12.50" and 12.5 agree); an SQLite REAL in a DECIMAL column is first
//     rounded to the column's scale;
//   - datetimes and times are "YYYY-MM-DD hh:mm:ss[.f]" without trailing
//     fractional zeros (a T separator and a final Z are accepted);
//   - text, JSON and byte strings are their bytes (text and bytes with the
//     same bytes agree).
//
// The values come from ReadChunk/ReadKeys, which read MySQL through its text
// protocol and SQLite through its storage classes (see the package comment).

const (
	canonNull  = 0x00 // NULL
	canonValue = 0x01 // followed by the value's canonical bytes
)

// appendCanon appends v's canonical form, as read from a column c.
// scale is the decimal scale to round floats in a DECIMAL column to (-1 =
// shortest form).
func appendCanon(dst []byte, v Value, c *Column, scale int) []byte {
	if v.Kind == KindNull {
		return append(dst, canonNull)
	}
	dst = append(dst, canonValue)
	switch c.Family {
	case FamFloat, FamDouble:
		return appendCanonFloat(dst, v)
	case FamDecimal:
		if v.Kind == KindFloat {
			f, err := strconv.ParseFloat(string(v.B), 64)
			if err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
				return appendNormDecimal(dst, strconv.AppendFloat(nil, f, 'f', scale, 64))
			}
		}
		if isPlainDecimal(v.B) {
			return appendNormDecimal(dst, v.B)
		}
	case FamInt, FamUint, FamBool, FamYear:
		if v.Kind == KindFloat { // an integral REAL in an SQLite integer column
			if f, err := strconv.ParseFloat(string(v.B), 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
				return strconv.AppendInt(dst, int64(f), 10)
			}
		}
		if isPlainDecimal(v.B) {
			return appendNormDecimal(dst, v.B)
		}
	case FamDate, FamDateTime, FamTimestamp, FamTime:
		if v.Kind == KindText || v.Kind == KindBytes {
			return appendCanonTime(dst, v.B)
		}
	}
	return append(dst, v.B...)
}

func appendCanonFloat(dst []byte, v Value) []byte {
	s := string(v.B)
	switch s { // infinities as the copy engine writes them
	case "9e999":
		s = "+Inf"
	case "-9e999":
		s = "-Inf"
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return append(dst, v.B...)
	}
	if f == 0 {
		f = 0 // -0 and 0 agree
	}
	return strconv.AppendFloat(dst, f, 'g', -1, 64)
}

// isPlainDecimal accepts [sign]digits[.digits] and nothing else.
func isPlainDecimal(b []byte) bool {
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		b = b[1:]
	}
	digits, point := 0, false
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !point:
			point = true
		default:
			return false
		}
	}
	return digits > 0
}

// appendNormDecimal appends a plain decimal text without '+', leading zeros
// or trailing fractional zeros; every zero is "0".
func appendNormDecimal(dst, b []byte) []byte {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	intPart, frac, _ := bytes.Cut(b, []byte{'.'})
	intPart = bytes.TrimLeft(intPart, "0")
	frac = bytes.TrimRight(frac, "0")
	if len(intPart) == 0 && len(frac) == 0 {
		return append(dst, '0')
	}
	if neg {
		dst = append(dst, '-')
	}
	if len(intPart) == 0 {
		dst = append(dst, '0')
	}
	dst = append(dst, intPart...)
	if len(frac) > 0 {
		dst = append(dst, '.')
		dst = append(dst, frac...)
	}
	return dst
}

// appendCanonTime writes a date/time text with a space separator, no final
// Z and no trailing fractional zeros.
func appendCanonTime(dst, b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte{'Z'})
	start := len(dst)
	dst = append(dst, b...)
	if len(b) > 10 && b[10] == 'T' && b[4] == '-' {
		dst[start+10] = ' '
	}
	if i := bytes.LastIndexByte(dst[start:], '.'); i >= 0 && bytes.IndexByte(dst[start:], ':') >= 0 {
		j := len(dst)
		for j > start+i+1 && dst[j-1] == '0' {
			j--
		}
		if j == start+i+1 {
			j-- // drop the point too
		}
		dst = dst[:j]
	}
	return dst
}

// decimalScale is the scale to round a REAL to in a DECIMAL column: the
// declared scale of either side, else the shortest form.
func decimalScale(a, b *Column) int {
	switch {
	case a.Family == FamDecimal && a.Precision > 0:
		return a.Scale
	case b != nil && b.Family == FamDecimal && b.Precision > 0:
		return b.Scale
	}
	return -1
}
