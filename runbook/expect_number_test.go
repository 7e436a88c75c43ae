package runbook

import "testing"

// An ordering threshold needs a number that compares: NaN, Inf and hex
// floats parse as floats but would never hold.
func TestCheckExpectNeedsAComparableNumber(t *testing.T) {
	for _, bad := range []string{"> nan", "< inf", ">= -Inf", "> 0x1p4", "> 1_000"} {
		if checkExpect(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	for _, good := range []string{"> 0.05", "<= -3", ">= 1e6", "< .5", "= nan", "!= up"} {
		if err := checkExpect(good); err != nil {
			t.Errorf("%q refused: %v", good, err)
		}
	}
}
