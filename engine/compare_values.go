package engine

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Query results of a compare come without a table catalog, from two engines
// that spell the same value differently: MySQL sends DECIMAL 12.50 as text,
// SQLite a REAL 12.5; a datetime is text on one side and time.Time on the
// other. looseValue reduces a scanned value to one spelling so that equal
// values compare equal:
//   - NULL stays distinct from every text, including the empty one;
//   - a number (integer, float, or text that reads as a decimal number) is
//     written in plain decimal without a sign on zero, leading zeros or
//     trailing fractional zeros ("012.50" and 12.5 both become "12.5"); a
//     float is first rounded to 15 significant digits, so that a sum of
//     SQLite REALs equals the same sum of MySQL DECIMALs;
//   - a datetime (time.Time, or text "YYYY-MM-DD hh:mm:ss[.ffffff]" with a T
//     or a space, optionally Z) becomes "YYYY-MM-DD hh:mm:ss[.f]" without
//     trailing fractional zeros;
//   - anything else is its bytes as text.
//
// Text such as "007" therefore equals the number 7: compare checks what an
// application would show, not how it is stored. verify is the exact check.
type looseValue struct {
	s    string
	null bool
}

func (v looseValue) String() string {
	if v.null {
		return "NULL"
	}
	return strconvQuoteIfNeeded(v.s)
}

func loose(v any) looseValue {
	switch x := v.(type) {
	case nil:
		return looseValue{null: true}
	case []byte:
		return looseValue{s: looseText(string(x))}
	case string:
		return looseValue{s: looseText(x)}
	case int64:
		return looseValue{s: strconv.FormatInt(x, 10)}
	case int:
		return looseValue{s: strconv.Itoa(x)}
	case uint64:
		return looseValue{s: strconv.FormatUint(x, 10)}
	case float64:
		return looseValue{s: looseFloat(x)}
	case float32:
		return looseValue{s: looseFloat(float64(x))}
	case bool:
		if x {
			return looseValue{s: "1"}
		}
		return looseValue{s: "0"}
	case time.Time:
		return looseValue{s: looseTime(x)}
	}
	return looseValue{s: fmt.Sprint(v)}
}

var (
	decimalText  = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)$`)
	datetimeText = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z?$`)
)

func looseText(s string) string {
	switch {
	case decimalText.MatchString(s):
		return normDecimal(s)
	case datetimeText.MatchString(s):
		s = strings.TrimSuffix(strings.Replace(s, "T", " ", 1), "Z")
		if i := strings.IndexByte(s, '.'); i >= 0 {
			s = strings.TrimRight(s, "0")
			s = strings.TrimSuffix(s, ".")
		}
		return s
	}
	return s
}

func looseFloat(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	// 15 significant digits: a sum of REALs (SQLite's DECIMAL) carries binary
	// noise in the 16th and 17th, which an exact DECIMAL sum does not have.
	r, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	return normDecimal(strconv.FormatFloat(r, 'f', -1, 64))
}

func looseTime(t time.Time) string {
	s := t.Format("2006-01-02 15:04:05.999999999")
	return s
}

// normDecimal writes a decimal number text in its shortest plain form:
// no '+', no leading zeros, no trailing fractional zeros, "0" for any zero.
func normDecimal(s string) string {
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	intPart = strings.TrimLeft(intPart, "0")
	frac = strings.TrimRight(frac, "0")
	if intPart == "" {
		intPart = "0"
	}
	out := intPart
	if frac != "" {
		out += "." + frac
	}
	if out == "0" {
		return "0"
	}
	if neg {
		return "-" + out
	}
	return out
}

// strconvQuoteIfNeeded shows a value plainly unless it holds characters that
// would make a report line ambiguous.
func strconvQuoteIfNeeded(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\r\n\",") || !isPrintable(s) {
		return strconv.Quote(s)
	}
	return s
}

func isPrintable(s string) bool {
	for _, r := range s {
		if !strconv.IsPrint(r) {
			return false
		}
	}
	return true
}
