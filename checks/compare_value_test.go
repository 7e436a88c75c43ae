package checks

import "testing"

func TestCompareValue(t *testing.T) {
	tests := []struct {
		got, expect string
		ok          bool
		why         string
	}{
		{"1", "1", true, "1 = 1"},
		{"1", "= 1", true, "1 = 1"},
		{"1", "== 1", true, "1 = 1"},
		{"1.0", "1", true, "1.0 = 1"},
		{"2", "1", false, "2, expected = 1"},
		{"0", "!= 0", false, "0, expected != 0"},
		{"3", "!= 0", true, "3 != 0"},
		{"100", ">= 100", true, "100 >= 100"},
		{"99", ">= 100", false, "99, expected >= 100"},
		{"6", "> 5", true, "6 > 5"},
		{"5", "> 5", false, "5, expected > 5"},
		{"3", "<= 3", true, "3 <= 3"},
		{"2", "< 2", false, "2, expected < 2"},
		{"-1.5", "< 2", true, "-1.5 < 2"},
		{"1e3", ">=1000", true, "1e3 >= 1000"},
		{" 12 ", ">= 10", true, `" 12 " >= 10`},
		// Large integers compare exactly, not through float64.
		{"9007199254740993", "9007199254740992", false, "9007199254740993, expected = 9007199254740992"},
		{"9007199254740993", "> 9007199254740992", true, "9007199254740993 > 9007199254740992"},
		// Not numbers: exact string equality.
		{"ready", "ready", true, "ready = ready"},
		{"Ready", "ready", false, "Ready, expected = ready"},
		{"NULL", "NULL", true, "NULL = NULL"},
		{"NULL", "!= NULL", false, "NULL, expected != NULL"},
		{"", "!= x", true, `"" != x`},
		{"0x10", "16", false, "0x10, expected = 16"},
		{"abc", ">= 1", false, "abc is not a number, expected >= 1"},
		{"NULL", "> 0", false, "NULL is not a number, expected > 0"},
	}
	for _, tt := range tests {
		ok, why, err := CompareValue(tt.got, tt.expect)
		if err != nil {
			t.Errorf("CompareValue(%q, %q): %v", tt.got, tt.expect, err)
			continue
		}
		if ok != tt.ok || why != tt.why {
			t.Errorf("CompareValue(%q, %q) = %v, %q; want %v, %q", tt.got, tt.expect, ok, why, tt.ok, tt.why)
		}
	}
}

func TestCompareValueBadExpectation(t *testing.T) {
	for _, expect := range []string{"", "  ", ">=", "= ", ">= abc", "< 1e9999", "> NaN", "<= 0x10"} {
		if ok, _, err := CompareValue("1", expect); err == nil || ok {
			t.Errorf("CompareValue(1, %q) = %v, %v; want an error", expect, ok, err)
		}
	}
}
