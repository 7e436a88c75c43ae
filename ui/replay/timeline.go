package replay

import (
	"context"
	"fmt"
	"sort"
	"time"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/fold"
)

// The fold is snapshotted every MinSnapshotEvery events, or further apart
// in a session so long that more than MaxSnapshots would be kept: a seek
// applies at most that many events to the nearest snapshot before it, and
// memory stays bounded by MaxSnapshots copies of the state.
const (
	MinSnapshotEvery = 250
	MaxSnapshots     = 500
)

// MaxGap is how long a pause between two events lasts when played at 1×:
// longer idle gaps (a sign-off awaited for an hour) are shortened to it.
const MaxGap = time.Second

// Timeline is a session's events with what a replay needs to move through
// them: snapshots of the fold, each event's play time and the marks.
type Timeline struct {
	rb     *runbook.Runbook
	info   audit.SessionInfo
	events []audit.Event
	every  int             // events between snapshots
	snaps  []fold.State    // snaps[j] is the fold of events[:j*every]
	play   []time.Duration // play[i] is when events[i] comes at 1×, idle gaps shortened
	marks  []Mark
}

// NewTimeline folds events once, keeping snapshots of the fold on the way.
// The events must be one session's, in order.
func NewTimeline(rb *runbook.Runbook, info audit.SessionInfo, events []audit.Event) *Timeline {
	t := &Timeline{rb: rb, info: info, events: events, play: make([]time.Duration, len(events))}
	t.every = max(MinSnapshotEvery, (len(events)+MaxSnapshots-1)/MaxSnapshots)
	st := fold.NewState(rb)
	for i, e := range events {
		if i%t.every == 0 {
			t.snaps = append(t.snaps, st.Clone())
		}
		st.Apply(e)
		if i > 0 {
			t.play[i] = t.play[i-1] + min(max(e.Time.Sub(events[i-1].Time), 0), MaxGap)
		}
		if k, ok := markOf(e); ok {
			t.marks = append(t.marks, Mark{Index: i, Kind: k})
		}
	}
	if len(events)%t.every == 0 {
		t.snaps = append(t.snaps, st)
	}
	return t
}

// Load reads a session's events from the log and builds its timeline on the
// runbook stored with the session.
func Load(ctx context.Context, l *audit.Log, info audit.SessionInfo, rb *runbook.Runbook) (*Timeline, error) {
	events, err := l.Events(ctx, info.ID, 0)
	if err != nil {
		return nil, fmt.Errorf("replay session %s: %w", info.ID, err)
	}
	return NewTimeline(rb, info, events), nil
}

// Len is the number of events.
func (t *Timeline) Len() int { return len(t.events) }

// Runbook is the runbook the session ran, as stored with it.
func (t *Timeline) Runbook() *runbook.Runbook { return t.rb }

// Info is the session.
func (t *Timeline) Info() audit.SessionInfo { return t.info }

// Event is the i-th event (0-based).
func (t *Timeline) Event(i int) audit.Event { return t.events[i] }

// Marks are the notable events, in order.
func (t *Timeline) Marks() []Mark { return t.marks }

// StateAt is the fold of the first n events, built from the nearest
// snapshot at or before n: it applies fewer events than snapshots are apart.
func (t *Timeline) StateAt(n int) fold.State {
	n = min(max(n, 0), len(t.events))
	j := min(n/t.every, len(t.snaps)-1)
	st := t.snaps[j].Clone()
	for _, e := range t.events[j*t.every : n] {
		st.Apply(e)
	}
	return st
}

// Advance is the fold of the first n events given st, the fold of the first
// from. It applies the events in between to a copy of st when that is fewer
// than seeking from the snapshot before n would apply; st is not changed.
func (t *Timeline) Advance(st fold.State, from, n int) fold.State {
	n = min(max(n, 0), len(t.events))
	if n < from || n-from > n%t.every {
		return t.StateAt(n)
	}
	next := st.Clone()
	for _, e := range t.events[from:n] {
		next.Apply(e)
	}
	return next
}

// PlayTime is when the cursor at n (n events applied) comes in play time.
func (t *Timeline) PlayTime(n int) time.Duration {
	if n <= 0 || len(t.play) == 0 {
		return 0
	}
	return t.play[min(n, len(t.play))-1]
}

// At is the cursor reached at play time p: the number of events whose play
// time is at or before p.
func (t *Timeline) At(p time.Duration) int {
	return sort.Search(len(t.play), func(i int) bool { return t.play[i] > p })
}

// Duration is the whole session's play time at 1×.
func (t *Timeline) Duration() time.Duration { return t.PlayTime(len(t.events)) }

// Gap is the idle time before event i that play shortens, 0 when none.
func (t *Timeline) Gap(i int) time.Duration {
	if i <= 0 || i >= len(t.events) {
		return 0
	}
	if g := t.events[i].Time.Sub(t.events[i-1].Time); g > MaxGap {
		return g
	}
	return 0
}

// Find is the cursor at wall time at: the number of events written by then,
// so the screen shows the session as it stood at that moment.
func (t *Timeline) Find(at time.Time) int {
	return sort.Search(len(t.events), func(i int) bool { return t.events[i].Time.After(at) })
}
