package text

import (
	"strings"

	"github.com/dustin/go-humanize"
)

// integer is any of the integer types counts come in.
type integer interface {
	~int | ~int32 | ~int64
}

// OneLine joins a text's lines and squeezes its runs of white space to one
// space, so an error or an output fits a single line.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Comma writes an integer with thousands separators: 1,234,567.
func Comma[N integer](n N) string { return humanize.Comma(int64(n)) }

// Noun picks the singular for exactly one and the plural otherwise.
func Noun[N integer](n N, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Count writes a count with its noun: "1 row", "12,000 rows".
func Count[N integer](n N, one, many string) string {
	return Comma(n) + " " + Noun(n, one, many)
}

// Counts is Count for a noun whose plural adds an s: "1 event", "3 events".
func Counts[N integer](n N, noun string) string { return Count(n, noun, noun+"s") }
