package session

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Values that compare false with everything must not read as ok: NaN,
// ±Inf and a trend that overflows are a failing check (fail closed).
func TestGuardEvalNonFiniteFailsClosed(t *testing.T) {
	cases := []struct{ name, guard, values, want string }{
		{"NaN", `{id: g, title: G, tcp: {address: "h:1"}, every: 10s, critical: "> 5"}`, "0 NaN 0", "ok critical ok"},
		{"NaN below", `{id: g, title: G, tcp: {address: "h:1"}, every: 10s, critical: "< 1"}`, "5 NaN", "ok critical"},
		{"+Inf", `{id: g, title: G, tcp: {address: "h:1"}, every: 10s, warn: "< 0", critical: "> 1e300"}`, "0 +Inf", "ok critical"},
		{"rate overflows", `{id: g, title: G, tcp: {address: "h:1"}, every: 10s, critical: {rate: "> 5", window: 1m}}`,
			"-1.7e308 1.7e308", "ok critical"},
		{"huge but finite", `{id: g, title: G, tcp: {address: "h:1"}, every: 10s, critical: "> 1e300"}`, "1e299 1e301", "ok critical"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := feed(newGuardEval(guardFrom(t, c.guard)), strings.Fields(c.values)...)
			if strings.Join(got, " ") != c.want {
				t.Errorf("states %q, want %q", strings.Join(got, " "), c.want)
			}
		})
	}
}

// A clock that goes back forgets the samples from its future, so a trend
// reads again from the next two samples instead of going blind.
func TestGuardEvalClockGoesBack(t *testing.T) {
	e := newGuardEval(guardFrom(t, `{id: g, title: G, tcp: {address: "h:1"}, every: 10s, critical: {delta: "> 10", window: 1m}}`))
	at := time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC)
	e.observe(at, "0", nil)
	e.observe(at.Add(10*time.Second), "1", nil)
	back := at.Add(-time.Hour)
	e.observe(back, "2", nil)
	if v := e.observe(back.Add(10*time.Second), "50", nil); v.to != "critical" {
		t.Errorf("after the clock went back, a delta of 48 reads %s", v.to)
	}
}

// A hostile value (a long line of control bytes, or a word where a number
// is compared) makes a short, valid value and error, never a screenful.
func TestGuardEvalHostileValueStaysShort(t *testing.T) {
	e := newGuardEval(guardFrom(t, `{id: g, title: G, tcp: {address: "h:1"}, every: 10s, critical: "> 5"}`))
	hostile := strings.Repeat("\x1b]52;c;SGVsbG8=\a\x00é", 12) // about 200 bytes, as a sampler passes on
	v := e.observe(time.Now(), hostile, nil)
	if v.to != "critical" || len(v.value) > 200 || !utf8.ValidString(v.value) {
		t.Errorf("verdict %q (%d bytes), state %s", v.value, len(v.value), v.to)
	}
	if !strings.Contains(v.value, "is not a finite number") || len(v.value) > 200 {
		t.Errorf("error %q (%d bytes)", v.value, len(v.value))
	}
}
