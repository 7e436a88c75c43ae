package text

import (
	"testing"
	"time"
)

func TestOneLine(t *testing.T) {
	if got := OneLine("  a\n\tb  c\r\n"); got != "a b c" {
		t.Errorf("OneLine = %q", got)
	}
}

func TestCount(t *testing.T) {
	cases := []struct {
		n    int64
		want string
	}{{0, "0 rows"}, {1, "1 row"}, {2, "2 rows"}, {1234, "1,234 rows"}, {-1234567, "-1,234,567 rows"}}
	for _, c := range cases {
		if got := Counts(c.n, "row"); got != c.want {
			t.Errorf("Counts(%d) = %q, want %q", c.n, got, c.want)
		}
	}
	if got := Count(1, "log id", "log ids"); got != "1 log id" {
		t.Errorf("Count(1) = %q", got)
	}
	if got := Noun(3, "difference", "differences"); got != "differences" {
		t.Errorf("Noun(3) = %q", got)
	}
}

func TestDurations(t *testing.T) {
	ms := time.Millisecond
	cases := []struct {
		name string
		fn   func(time.Duration) string
		d    time.Duration
		want string
	}{
		{"Coarse", Coarse, 45 * time.Second, "45s"},
		{"Coarse", Coarse, 200 * time.Minute, "3h20m"},
		{"Coarse", Coarse, 52 * time.Hour, "2d4h"},
		{"Coarse", Coarse, 14 * day, "2w"},
		{"Duration", Duration, -ms, "0s"},
		{"Duration", Duration, 0, "0s"},
		{"Duration", Duration, 120 * ms, "120ms"},
		{"Duration", Duration, time.Second, "1s"},
		{"Duration", Duration, 4200 * ms, "4.2s"},
		{"Duration", Duration, 45 * time.Second, "45s"},
		{"Duration", Duration, 12 * time.Minute, "12m"},
		{"Duration", Duration, 725 * time.Second, "12m05s"},
		{"Duration", Duration, 200 * time.Minute, "3h20m"},
		{"Short", Short, -ms, ""},
		{"Short", Short, 40 * ms, "40ms"},
		{"Short", Short, 400 * ms, "0.4s"},
		{"Short", Short, 12900 * ms, "12s"},
		{"Short", Short, 185 * time.Second, "3m05s"},
		{"Short", Short, 130 * time.Minute, "2h10m"},
		{"Short", Short, 120 * time.Hour, "5d"},
		{"Clock", Clock, -time.Second, "0:00:00"},
		{"Clock", Clock, 3723900 * ms, "1:02:03"},
	}
	for _, c := range cases {
		if got := c.fn(c.d); got != c.want {
			t.Errorf("%s(%v) = %q, want %q", c.name, c.d, got, c.want)
		}
	}
	if got := Seconds(0.4); got != "400ms" {
		t.Errorf("Seconds(0.4) = %q", got)
	}
}
