package replay

import (
	"reflect"
	"testing"
	"time"
)

// TestStateAtIsTheFoldOfThePrefix seeks to snapshot boundaries, either side
// of them and at random points, in both directions: each state equals the
// fold of the events up to the cursor, computed from scratch.
func TestStateAtIsTheFoldOfThePrefix(t *testing.T) {
	tl := timeline(t, 5321)
	n := tl.Len()
	cursors := []int{0, 1, 2, MinSnapshotEvery - 1, MinSnapshotEvery, MinSnapshotEvery + 1, 3 * MinSnapshotEvery, n - 1, n}
	for range 20 {
		cursors = append(cursors, rng.IntN(n+1))
	}
	for _, c := range cursors {
		if got, want := tl.StateAt(c), foldOf(tl, c); !reflect.DeepEqual(got, want) {
			t.Fatalf("StateAt(%d) differs from the fold of the first %d events:\n got %+v\nwant %+v", c, c, got, want)
		}
	}
	// Walking with Advance, forward in small and large steps and back, gives
	// the same states, and never changes the state it starts from.
	st, c := tl.StateAt(0), 0
	for _, next := range []int{1, 5, 900, 1100, 1101, 4500, 200, 4999, 5000, 5001, n, 3} {
		before := st.Clone()
		nst := tl.Advance(st, c, next)
		if !reflect.DeepEqual(st, before) {
			t.Fatalf("Advance(%d→%d) changed the state it started from", c, next)
		}
		if want := foldOf(tl, next); !reflect.DeepEqual(nst, want) {
			t.Fatalf("Advance(%d→%d) differs from the fold", c, next)
		}
		st, c = nst, next
	}
}

// TestPlayTimeShortensIdleGaps: gaps above MaxGap play as MaxGap, shorter
// ones as they were, and At inverts PlayTime.
func TestPlayTimeShortensIdleGaps(t *testing.T) {
	tl := timeline(t, 200)
	for i := 1; i < tl.Len(); i++ {
		real := tl.Event(i).Time.Sub(tl.Event(i - 1).Time)
		played := tl.PlayTime(i+1) - tl.PlayTime(i)
		want := min(real, MaxGap)
		if played != want {
			t.Fatalf("event %d: gap %s plays as %s, want %s", i, real, played, want)
		}
		if (tl.Gap(i) > 0) != (real > MaxGap) {
			t.Fatalf("event %d: Gap %s for a real gap of %s", i, tl.Gap(i), real)
		}
		if c := tl.At(tl.PlayTime(i + 1)); c < i+1 || tl.PlayTime(c) != tl.PlayTime(i+1) {
			t.Fatalf("At(PlayTime(%d)) = %d", i+1, c)
		}
	}
	real := tl.Event(tl.Len() - 1).Time.Sub(tl.Event(0).Time)
	if tl.Duration() >= real/10 {
		t.Fatalf("the session plays for %s of its %s: idle gaps are not shortened", tl.Duration(), real)
	}
}

// TestMarks finds failures, overrides, rollbacks and notes, each way, with
// and without a filter.
func TestMarks(t *testing.T) {
	tl := timeline(t, 300)
	var kinds []MarkKind
	for _, m := range tl.Marks() {
		kinds = append(kinds, m.Kind)
	}
	want := []MarkKind{MarkFailure, MarkNote, MarkFailure, MarkOverride, MarkFailure, MarkRollback, MarkRollback, MarkNote}
	if !reflect.DeepEqual(kinds, want) {
		t.Fatalf("marks %v, want %v", kinds, want)
	}
	first := tl.Marks()[0].Index
	if c := tl.nextMark(0, MarkAny); c != first+1 {
		t.Fatalf("next mark from the start: %d, want %d", c, first+1)
	}
	if c := tl.nextMark(first+1, MarkAny); c != tl.Marks()[1].Index+1 {
		t.Fatalf("next mark after the first: %d", c)
	}
	if c := tl.prevMark(first+1, MarkAny); c != -1 {
		t.Fatalf("prev mark from the first: %d, want none", c)
	}
	if c := tl.nextMark(0, MarkOverride); c != tl.Marks()[3].Index+1 {
		t.Fatalf("next override: %d", c)
	}
	if c := tl.prevMark(tl.Len(), MarkFailure); c != tl.Marks()[4].Index+1 {
		t.Fatalf("last failure: %d", c)
	}
	if c := tl.Find(t0.Add(-time.Hour)); c != 0 {
		t.Fatalf("Find before the start: %d", c)
	}
	if c := tl.Find(tl.Event(tl.Len() - 1).Time); c != tl.Len() {
		t.Fatalf("Find at the last event: %d, want %d", c, tl.Len())
	}
}

// TestSnapshotsStayBounded: a session long enough spreads its snapshots out
// instead of keeping more than MaxSnapshots, and seeks still fold exactly.
func TestSnapshotsStayBounded(t *testing.T) {
	n := MinSnapshotEvery*MaxSnapshots + 3000
	tl := timeline(t, n)
	if len(tl.snaps) > MaxSnapshots+1 || tl.every <= MinSnapshotEvery {
		t.Fatalf("%d events: %d snapshots, %d apart", n, len(tl.snaps), tl.every)
	}
	for _, c := range []int{tl.every - 1, tl.every, 7*tl.every + 5, n} {
		if got, want := tl.StateAt(c), foldOf(tl, c); !reflect.DeepEqual(got, want) {
			t.Fatalf("StateAt(%d) differs from the fold", c)
		}
	}
}
