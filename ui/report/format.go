package report

import (
	"strconv"
	"strings"
	"time"

	"runway/runbook/text"
)

// Count writes an integer with thousands separators: 1,234,567.
func Count(n int64) string { return text.Comma(n) }

// Duration writes a duration the way an operator reads it: 120ms, 4.2s,
// 12m05s, 3h20m, 2d4h.
func Duration(d time.Duration) string { return text.Duration(d) }

// Rate writes rows per second with separators.
func Rate(r float64) string { return Count(int64(r+0.5)) + " rows/s" }

// Percent writes a match rate (0 to 1) as a percentage that never rounds a
// mismatch up to 100%.
func Percent(r float64) string {
	if r < 1 && r > 0.9999 {
		return ">99.99%"
	}
	s := strconv.FormatFloat(r*100, 'f', 2, 64)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "0"), "0")
	return strings.TrimSuffix(s, ".") + "%"
}

// timePtr is nil for the zero time.
func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// Clock writes a time of day in UTC: 14:03:07.
func Clock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("15:04:05")
}

// Stamp writes a full UTC time: 2026-11-22 14:03:07Z.
func Stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}

// Elapsed writes how long after start t happened: +1m05s.
func Elapsed(start, t time.Time) string {
	if start.IsZero() || t.IsZero() {
		return ""
	}
	return "+" + Duration(t.Sub(start))
}

func msDur(ms int64) time.Duration { return time.Duration(ms) * time.Millisecond }

func secDur(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
