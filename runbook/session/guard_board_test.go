package session

import (
	"testing"
	"time"

	"runway/runbook"
)

// A steady guard is logged when its value changes and once a minute
// otherwise, never once a sample.
func TestGuardBoardLogsChangesAndAMinutelyRepeat(t *testing.T) {
	b := newGuardBoard()
	g := runbook.Guard{ID: "lag"}
	t0 := time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC)
	steps := []struct {
		at    time.Duration
		value string
		want  bool // a sample waits for the log after this one
	}{
		{0, "5", true},            // first sample
		{time.Second, "5", false}, // unchanged
		{30 * time.Second, "5", false},
		{31 * time.Second, "6", true}, // changed
		{50 * time.Second, "6", false},
		{91 * time.Second, "6", true}, // a minute since it was last marked
		{92 * time.Second, "6", false},
		{80 * time.Second, "6", true}, // the clock went back: logged, not silenced
	}
	for i, st := range steps {
		b.set(g, guardVerdict{value: st.value, to: "ok"}, t0.Add(st.at))
		if got := b.pending(); got != st.want {
			t.Fatalf("step %d (%s at %v): pending %v, want %v", i, st.value, st.at, got, st.want)
		}
		b.take()
	}
	if n := b.evaluations("lag"); n != len(steps) {
		t.Fatalf("evaluations = %d, want %d", n, len(steps))
	}
}
