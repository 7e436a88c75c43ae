package engine

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A default carried to another engine must be a value the created column
// holds as the source's column does: the target would otherwise refuse the
// CREATE TABLE, or store another value in every row that leaves the column
// out. When in doubt it is named instead of carried.

// textDefaultMisfit says why text v cannot be column c's default on
// another engine: only text, times and valid dates travel as text.
func textDefaultMisfit(c Column, v string) string {
	if strings.ContainsRune(v, 0) {
		return "a NUL character"
	}
	switch c.Family {
	case FamText:
		if c.Length > 0 && int64(utf8.RuneCountInString(v)) > c.Length {
			return "longer than the column"
		}
	case FamTime:
		if !parsesAs(v, "15:04", "15:04:05", "15:04:05.999999") {
			return "not a time of day"
		}
	case FamDate, FamDateTime, FamTimestamp:
		switch {
		case strings.HasPrefix(v, "0000-") || strings.Contains(v, "-00"):
			return "a zero date"
		case c.Family == FamDate && !parsesAs(v, time.DateOnly):
			return "not a date"
		case !parsesAs(v, time.DateOnly, "2006-01-02 15:04", time.DateTime, "2006-01-02 15:04:05.999999",
			"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02T15:04:05.999999"):
			return "not a date and time without a zone"
		}
	default:
		return "a text in a " + c.Family.String() + " column"
	}
	return ""
}

func parsesAs(v string, layouts ...string) bool {
	for _, l := range layouts {
		if _, err := time.Parse(l, v); err == nil {
			return true
		}
	}
	return false
}

// numberDefaultMisfit says why number v cannot be the default of column c
// created as type created (upper case), or "" when it fits.
func numberDefaultMisfit(c Column, created, v string) string {
	switch c.Family {
	case FamInt, FamUint, FamYear, FamBool:
		n, ok := new(big.Int).SetString(strings.TrimPrefix(v, "+"), 10)
		if !ok {
			return "not an integer"
		}
		lo, hi := intRange(created, c.Family)
		if n.Cmp(big.NewInt(0).SetInt64(lo)) < 0 || n.Cmp(new(big.Int).SetUint64(hi)) > 0 {
			return "out of the column's range"
		}
	case FamDecimal:
		if !decimalFits(v, c.Precision, c.Scale) {
			return "more digits than the column holds"
		}
	case FamFloat, FamDouble:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsInf(f, 0) || c.Family == FamFloat && math.Abs(f) > math.MaxFloat32 {
			return "out of the column's range"
		}
	case FamText:
		return "a number in a text column, which engines turn into text differently"
	default:
		return "a number in a " + c.Family.String() + " column"
	}
	return ""
}

// intRange is the range of an integer column created as type created.
func intRange(created string, f Family) (lo int64, hi uint64) {
	bits := 64
	for _, w := range []struct {
		name string
		bits int
	}{{"TINYINT", 8}, {"SMALLINT", 16}, {"MEDIUMINT", 24}, {"BIGINT", 64}, {"INT", 32}} {
		if strings.Contains(created, w.name) {
			bits = w.bits
			break
		}
	}
	switch {
	case f == FamYear:
		return 0, 2155
	case f == FamUint || strings.Contains(created, "UNSIGNED"):
		return 0, 1<<bits - 1
	}
	return -1 << (bits - 1), 1<<(bits-1) - 1
}

// atScale writes decimal v with scale digits after the point, as the
// source prints the column's values (v fits; see decimalFits).
func atScale(v string, scale int) string {
	v = strings.TrimPrefix(v, "+")
	whole, frac, _ := strings.Cut(v, ".")
	frac = strings.TrimRight(frac, "0")
	if whole == "" || whole == "-" {
		whole += "0"
	}
	if scale <= 0 {
		return whole
	}
	return whole + "." + frac + strings.Repeat("0", max(scale-len(frac), 0))
}

// decimalFits: v has at most scale digits after the point and precision
// digits in all (no limit when precision is unknown).
func decimalFits(v string, precision, scale int) bool {
	if strings.ContainsAny(v, "eE") {
		return false
	}
	whole, frac, _ := strings.Cut(strings.TrimLeft(v, "+-"), ".")
	whole = strings.TrimLeft(whole, "0")
	frac = strings.TrimRight(frac, "0")
	if precision <= 0 {
		return true
	}
	return len(frac) <= scale && len(whole) <= precision-scale
}
