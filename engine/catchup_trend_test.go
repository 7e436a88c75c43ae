package engine

import (
	"math/rand"
	"strings"
	"testing"
	"time"
)

// backlogSim feeds a convergence synthetic samples on a clock of its own:
// every tick, the log's highest id and the rows applied move on, and the
// backlog is their difference.
type backlogSim struct {
	t       *testing.T
	now     time.Time
	c       *convergence
	maxID   int64
	applied int64
	onsets  int
	rnd     *rand.Rand
}

const simTick = 200 * time.Millisecond // the catch-up's idle poll

func newBacklogSim(t *testing.T) *backlogSim {
	s := &backlogSim{t: t, now: time.Unix(1_000_000, 0), rnd: rand.New(rand.NewSource(12))}
	s.c = newConvergence(5*time.Second, 30*time.Second, 30*time.Second, 0, 0, func() time.Time { return s.now })
	return s
}

// run advances d in ticks; next returns the highest id and the rows applied
// after each tick.
func (s *backlogSim) run(d time.Duration, next func() (maxID, applied int64)) {
	for end := s.now.Add(d); s.now.Before(end); {
		s.now = s.now.Add(simTick)
		s.maxID, s.applied = next()
		if s.c.observe(s.now, s.maxID-s.applied, time.Second, s.maxID, s.applied) {
			s.onsets++
		}
	}
}

// keptUp is a writer of perSec changes a second that the catch-up keeps up
// with: 1 to 4 changes pending at any sample, arrivals = applies.
func (s *backlogSim) keptUp(perSec int64) func() (int64, int64) {
	return func() (int64, int64) {
		id := s.maxID + perSec*int64(simTick)/int64(time.Second)
		return id, id - 1 - s.rnd.Int63n(4)
	}
}

// outrun is a writer of arrive changes a second against a catch-up applying
// apply a second in batches of 5,000: the backlog saws up and down by a batch.
func (s *backlogSim) outrun(arrive, apply int64) func() (int64, int64) {
	ideal := s.applied
	return func() (int64, int64) {
		id := s.maxID + arrive*int64(simTick)/int64(time.Second)
		ideal += apply * int64(simTick) / int64(time.Second)
		return id, min(max(s.applied, ideal/5000*5000), id)
	}
}

// drain applies at apply a second while perSec changes a second arrive,
// down to a kept-up backlog.
func (s *backlogSim) drain(perSec, apply int64) func() (int64, int64) {
	return func() (int64, int64) {
		id := s.maxID + perSec*int64(simTick)/int64(time.Second)
		return id, min(s.applied+apply*int64(simTick)/int64(time.Second), id-1-s.rnd.Int63n(4))
	}
}

func TestNotConvergingKeptUpNeverWarns(t *testing.T) {
	for _, rate := range []int64{10, 1000, 7400, 50000} {
		s := newBacklogSim(t)
		s.run(10*time.Minute, s.keptUp(rate))
		if s.onsets != 0 || s.c.notConverging() {
			t.Errorf("writer at %d/s kept up with (1-4 pending): %d warnings, warning now %v", rate, s.onsets, s.c.notConverging())
		}
	}
}

func TestNotConvergingOutrunWarnsOnce(t *testing.T) {
	for _, r := range []struct{ arrive, apply int64 }{{1200, 1000}, {80000, 77000}, {300, 0}} {
		s := newBacklogSim(t)
		s.run(20*time.Second, s.keptUp(r.apply))
		s.run(5*time.Minute, s.outrun(r.arrive, r.apply))
		if s.onsets != 1 || !s.c.notConverging() {
			t.Errorf("writer at %d/s against %d/s applied: %d warnings (want 1), warning now %v",
				r.arrive, r.apply, s.onsets, s.c.notConverging())
		}
		if want := float64(r.arrive - r.apply); s.c.growth < want/2 || s.c.growth > want*2 {
			t.Errorf("growth %.0f/s, want about %.0f", s.c.growth, want)
		}
	}
}

func TestNotConvergingBurstDrainedDoesNotWarn(t *testing.T) {
	s := newBacklogSim(t)
	s.run(time.Minute, s.keptUp(1000))
	s.maxID += 50_000 // a burst of 50,000 changes in one tick
	s.run(10*time.Second, s.drain(1000, 10_000))
	s.run(3*time.Minute, s.keptUp(1000))
	if s.onsets != 0 || s.c.notConverging() {
		t.Errorf("burst drained: %d warnings, warning now %v", s.onsets, s.c.notConverging())
	}
}

func TestNotConvergingClearsOnceDrained(t *testing.T) {
	s := newBacklogSim(t)
	s.run(20*time.Second, s.keptUp(1000))
	s.run(2*time.Minute, s.outrun(1500, 1000))
	if !s.c.notConverging() {
		t.Fatal("not warning while the writer outruns the catch-up")
	}
	s.run(2*time.Minute, s.drain(1000, 5000))
	if s.c.notConverging() || s.onsets != 1 {
		t.Errorf("after draining: warning %v, %d warnings (want 1)", s.c.notConverging(), s.onsets)
	}
}

// TestNotConvergingRecordedOnce: two stretches of growth give one warning in
// the result, which says there were two and that it settled.
func TestNotConvergingRecordedOnce(t *testing.T) {
	s := newBacklogSim(t)
	c := &catchup{conv: s.c, opts: CatchupOptions{NotConverging: 30 * time.Second}}
	step := func(d time.Duration, next func() (int64, int64)) {
		for end := s.now.Add(d); s.now.Before(end); {
			s.now = s.now.Add(simTick)
			s.maxID, s.applied = next()
			c.res.Pending = s.maxID - s.applied
			if s.c.observe(s.now, c.res.Pending, time.Second, s.maxID, s.applied) {
				c.warnNotConverging(s.now)
			}
		}
	}
	for range 2 {
		step(20*time.Second, s.keptUp(1000))
		step(2*time.Minute, s.outrun(1500, 1000))
		step(2*time.Minute, s.drain(1000, 5000))
	}
	c.closeWarning()
	c.closeWarning()
	if len(c.res.Warnings) != 1 {
		t.Fatalf("warnings %q, want one", c.res.Warnings)
	}
	w := c.res.Warnings[0]
	for _, want := range []string{"not converging from", "grew by ~", "2 stretches of growth", "settled again"} {
		if !strings.Contains(w, want) {
			t.Errorf("warning %q lacks %q", w, want)
		}
	}
	if s.c.episodes != 2 {
		t.Errorf("episodes %d, want 2", s.c.episodes)
	}
}

func TestApplyCapacity(t *testing.T) {
	var a applyCapacity
	if r, _ := a.rate(); r != 0 {
		t.Errorf("nothing applied: %v", r)
	}
	a.add(4, 5000, time.Millisecond)
	if r, low := a.rate(); r != 4000 || !low {
		t.Errorf("small batches only: %v lower bound %v", r, low)
	}
	a.add(5000, 5000, 100*time.Millisecond)
	a.add(0, 5000, time.Second) // idle
	a.add(3000, 5000, 50*time.Millisecond)
	if r, low := a.rate(); r < 53333 || r > 53334 || low {
		t.Errorf("full batches: %v lower bound %v", r, low)
	}
}
