package session

import (
	"sort"
	"sync"
	"time"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/event"
)

// guardBoard holds each guard's latest sample, latest wins. Supervisors
// write it at their own pace; the core flushes what changed to the log as
// guard.sample telemetry with engine progress, about once a second. A value
// that stays the same is written again only once a minute (sampleRepeat),
// so a long window of steady guards does not grow the log by a row a second
// each, while a watcher still sees that the guard is alive.
type guardBoard struct {
	mu     sync.Mutex
	latest map[string]guardLive
	dirty  map[string]bool
	marked map[string]time.Time // when each guard was last marked for the log
	evals  map[string]int       // evaluations so far, by guard (tests wait on it)
}

// sampleRepeat is how often an unchanged guard value is logged again.
const sampleRepeat = time.Minute

type guardLive struct {
	phase string
	value string
	state string
}

func newGuardBoard() *guardBoard {
	return &guardBoard{latest: map[string]guardLive{}, dirty: map[string]bool{},
		marked: map[string]time.Time{}, evals: map[string]int{}}
}

// set records a guard's sample taken at now.
func (b *guardBoard) set(g runbook.Guard, v guardVerdict, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l := guardLive{phase: g.Phase, value: v.value, state: v.to}
	last, seen := b.latest[g.ID]
	if !seen || l != last || now.Sub(b.marked[g.ID]) >= sampleRepeat || now.Before(b.marked[g.ID]) {
		b.dirty[g.ID] = true
		b.marked[g.ID] = now
	}
	b.latest[g.ID] = l
	b.evals[g.ID]++
}

func (b *guardBoard) evaluations(id string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.evals[id]
}

// take removes and returns the samples changed since the last flush, by id.
func (b *guardBoard) take() map[string]guardLive {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make(map[string]guardLive, len(b.dirty))
	for id := range b.dirty {
		out[id] = b.latest[id]
		delete(b.dirty, id)
	}
	return out
}

// guardSampleEvents are the guard.sample events of the changed samples, in
// id order.
func (s *Session) guardSampleEvents() ([]audit.Event, error) {
	samples := s.guards.board.take()
	ids := make([]string, 0, len(samples))
	for id := range samples {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	events := make([]audit.Event, 0, len(ids))
	for _, id := range ids {
		l := samples[id]
		e, err := s.event("guard:"+id, event.KindGuardSample, l.phase, "", event.GuardPayload{Guard: id, Value: s.Redact(l.value)})
		if err != nil {
			return nil, err
		}
		events = append(events, e)
	}
	return events, nil
}

// pending reports whether a sample waits to be flushed.
func (b *guardBoard) pending() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.dirty) > 0
}
