package audit

import "testing"

func TestMaskedEqual(t *testing.T) {
	for _, tc := range []struct {
		column, chained string
		want            bool
	}{
		{"orders", "orders", true},
		{"orders", "payroll", false},
		{"/srv/orders/orders.yaml", "/srv/***/***.yaml", true},
		{"/srv/orders/orders.yaml", "/srv/***/***.yml", false},
		{"/etc/orders/orders.yaml", "/srv/***/***.yaml", false},
		{"/srv/ab/orders.yaml", "/srv/***/***.yaml", false}, // a secret is at least 3 bytes
		{"walgone", "***", true},
		{"", "***", false},
		{"a.b", "***", true},
		{"x+y", "x+y", true},
	} {
		if got := maskedEqual(tc.column, tc.chained); got != tc.want {
			t.Errorf("maskedEqual(%q, %q) = %v, want %v", tc.column, tc.chained, got, tc.want)
		}
	}
}
