package runbook

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// expectOperators are the comparisons an sql expect may start with, longest first.
var expectOperators = []string{">=", "<=", "!=", "==", "=", ">", "<"}

// checkExpect validates an sql expectation: "v" or "= v" (equal), "!= v",
// and ">= n", "> n", "<= n", "< n" with a number.
func checkExpect(expect string) error {
	s := strings.TrimSpace(expect)
	if s == "" {
		return fmt.Errorf("empty expectation")
	}
	op := "="
	for _, o := range expectOperators {
		if rest, ok := strings.CutPrefix(s, o); ok {
			op, s = o, strings.TrimSpace(rest)
			break
		}
	}
	if s == "" {
		return fmt.Errorf("%q has no value after %s", expect, op)
	}
	switch op {
	case "=", "==", "!=":
		return nil
	}
	if _, err := strconv.ParseFloat(s, 64); err != nil || !decimal.MatchString(s) {
		return fmt.Errorf("%q: %s needs a number", expect, op)
	}
	return nil
}

// decimal is a number as checks compare it (checks/compare_value.go):
// "nan", "inf" or "0x1p4" parse as floats but compare with nothing, so a
// guard or an expectation written with them would never hold.
var decimal = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?$`)

// checkRegex reports an invalid regular expression ("" is valid: no check).
func checkRegex(expr string) error {
	if expr == "" {
		return nil
	}
	if _, err := regexp.Compile(expr); err != nil {
		return fmt.Errorf("not a valid regular expression: %v", err)
	}
	return nil
}
