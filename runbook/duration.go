package runbook

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"runway/runbook/text"
)

// Duration is a time.Duration written in runbooks as "90s", "15m", "2h",
// "3d" or "2w" (days and weeks are added to Go's units).
type Duration time.Duration

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

func (d Duration) String() string { return text.Coarse(time.Duration(d)) }

// ParseDuration parses Go durations plus whole or fractional days (d) and weeks (w).
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	for _, u := range []struct {
		suffix string
		unit   time.Duration
	}{{"d", 24 * time.Hour}, {"w", 7 * 24 * time.Hour}} {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			f, err := strconv.ParseFloat(num, 64)
			if err != nil || f < 0 {
				return 0, fmt.Errorf("bad duration %q (use 90s, 15m, 2h, 3d, 2w)", s)
			}
			return Duration(f * float64(u.unit)), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("bad duration %q (use 90s, 15m, 2h, 3d, 2w)", s)
	}
	return Duration(d), nil
}

// Expected is a phase's expected duration: one value ("2h") or a range ("1-2w").
type Expected struct {
	Min, Max Duration
	Text     string // as written
}

// ParseExpected parses "2h", "1-2w" or "30m-1h".
func ParseExpected(s string) (Expected, error) {
	s = strings.TrimSpace(s)
	lo, hi, isRange := strings.Cut(s, "-")
	if !isRange {
		d, err := ParseDuration(s)
		return Expected{Min: d, Max: d, Text: s}, err
	}
	// "1-2w": the lower bound borrows the upper bound's unit when it has none.
	if _, err := strconv.ParseFloat(lo, 64); err == nil {
		lo += strings.TrimLeft(hi, "0123456789.")
	}
	// A bad bound is reported with the whole value: quoting a piece of it
	// would show a piece of a secret that masking cannot recognise.
	min, err := ParseDuration(lo)
	if err != nil {
		return Expected{}, fmt.Errorf("bad expected duration %q (use 2h, or a range such as 1-2w)", s)
	}
	max, err := ParseDuration(hi)
	if err != nil {
		return Expected{}, fmt.Errorf("bad expected duration %q (use 2h, or a range such as 1-2w)", s)
	}
	if max < min {
		return Expected{}, fmt.Errorf("expected range %q ends before it starts", s)
	}
	return Expected{Min: min, Max: max, Text: s}, nil
}
