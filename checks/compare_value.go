package checks

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"
)

// CompareValue checks a value against an expectation: "1" or "= 1" (equal),
// "!= 0", ">= 100", "> 5", "<= 3", "< 2". Equality is numeric when both sides
// parse as numbers ("1.0" = "1"), else exact string equality; the ordering
// operators need a number on the right. The string explains the outcome
// ("12 >= 10", "5, expected >= 10"). The error reports a malformed
// expectation.
func CompareValue(got, expect string) (bool, string, error) {
	op, want, err := parseExpect(expect)
	if err != nil {
		return false, "", err
	}
	g, gNum := parseNumber(got)
	w, wNum := parseNumber(want)
	var ok bool
	switch op {
	case "=", "!=":
		if gNum && wNum {
			ok = g.Cmp(w) == 0
		} else {
			ok = got == want
		}
		if op == "!=" {
			ok = !ok
		}
	default:
		if !gNum {
			return false, fmt.Sprintf("%s is not a number, expected %s %s", show(got), op, want), nil
		}
		c := g.Cmp(w)
		switch op {
		case ">=":
			ok = c >= 0
		case ">":
			ok = c > 0
		case "<=":
			ok = c <= 0
		case "<":
			ok = c < 0
		}
	}
	if ok {
		return true, fmt.Sprintf("%s %s %s", show(got), op, show(want)), nil
	}
	return false, fmt.Sprintf("%s, expected %s %s", show(got), op, show(want)), nil
}

// operators, longest first so ">=" is not read as ">".
var operators = []string{">=", "<=", "!=", "==", "=", ">", "<"}

// parseExpect splits an expectation into its operator ("=" when none is
// written) and the value, and checks that ordering operators have a number.
func parseExpect(expect string) (op, value string, err error) {
	s := strings.TrimSpace(expect)
	if s == "" {
		return "", "", fmt.Errorf("empty expectation")
	}
	op = "="
	for _, o := range operators {
		if rest, found := strings.CutPrefix(s, o); found {
			op, s = o, strings.TrimSpace(rest)
			break
		}
	}
	if op == "==" {
		op = "="
	}
	if s == "" {
		return "", "", fmt.Errorf("expectation %q has no value after %s", expect, op)
	}
	if op != "=" && op != "!=" {
		if _, ok := parseNumber(s); !ok {
			return "", "", fmt.Errorf("expectation %q: %s needs a number", expect, op)
		}
	}
	return op, s, nil
}

// number is a plain decimal with an optional, modest exponent: hex, NaN,
// Inf and fractions are not numbers here, and huge exponents would cost
// arbitrary memory in big.Rat.
var number = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?$`)

// parseNumber reads s as an exact number, so large integers compare exactly.
func parseNumber(s string) (*big.Rat, bool) {
	s = strings.TrimSpace(s)
	if !number.MatchString(s) {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

// show writes a value so that an empty or space-padded one stays visible.
func show(s string) string {
	if s == "" || strings.TrimSpace(s) != s {
		return fmt.Sprintf("%q", s)
	}
	return s
}
