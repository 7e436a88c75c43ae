package engine

import (
	"fmt"
	"time"

	"github.com/dustin/go-humanize"
)

// convergence watches a catch-up's lag: whether it has stayed under the
// threshold long enough, and whether the backlog is growing (see
// backlogGrowing), with hysteresis so that the warning is raised once per
// stretch of growth rather than at every sample.
type convergence struct {
	maxLag, convergeFor time.Duration
	window              time.Duration // the stretch over which a growing backlog is "not converging"

	underSince time.Time // lag at or under maxLag continuously since; zero = not under
	arrivals   *Meter    // change-log ids appearing
	applies    *Meter    // change-log rows applied
	history    []pendingSample

	growingSince time.Time // the onset test has held continuously since; zero = not
	warning      bool      // not converging now
	growth       float64   // pending rows per second when the warning began
	episodes     int       // times the warning began
}

type pendingSample struct {
	at      time.Time
	pending int64
}

func newConvergence(maxLag, convergeFor, window time.Duration, maxID, applied int64, clock func() time.Time) *convergence {
	return &convergence{maxLag: maxLag, convergeFor: convergeFor, window: window,
		arrivals: newMeterAt(maxID, clock), applies: newMeterAt(applied, clock)}
}

// observe records the backlog now: pending log rows, the age of the oldest
// one, the log's highest id and the rows applied so far. It returns true
// when the backlog has just been found growing: the moment to warn.
func (c *convergence) observe(now time.Time, pending int64, lag time.Duration, maxID, applied int64) (began bool) {
	c.arrivals.Add(maxID)
	c.applies.Add(applied)
	if lag <= c.maxLag {
		if c.underSince.IsZero() {
			c.underSince = now
		}
	} else {
		c.underSince = time.Time{}
	}
	c.history = append(c.history, pendingSample{now, pending})
	for len(c.history) > 2 && now.Sub(c.history[1].at) > c.window {
		c.history = c.history[1:]
	}
	return c.judge(now)
}

// judge updates the warning. It begins once the onset test has held for a
// fifth of the window and ends only when the backlog has settled.
func (c *convergence) judge(now time.Time) (began bool) {
	if c.warning {
		if backlogSettled(c.history) {
			c.warning, c.growingSince = false, time.Time{}
		}
		return false
	}
	tr, growing := backlogGrowing(c.history, c.window, c.applies.Rate())
	if !growing {
		c.growingSince = time.Time{}
		return false
	}
	if c.growingSince.IsZero() {
		c.growingSince = now
	}
	if now.Sub(c.growingSince) < c.window/5 {
		return false
	}
	c.warning, c.growth = true, tr.slope
	c.episodes++
	return true
}

// converged reports whether the lag has stayed under maxLag for convergeFor.
func (c *convergence) converged(now time.Time) bool {
	return !c.underSince.IsZero() && now.Sub(c.underSince) >= c.convergeFor
}

// notConverging reports whether the backlog is growing: warned and not
// settled since.
func (c *convergence) notConverging() bool { return c.warning }

// note describes the backlog for the progress line.
func (c *convergence) note(pending int64, lag time.Duration, lagKnown bool) string {
	s := "pending " + humanize.Comma(pending)
	if lagKnown && pending > 0 {
		s += fmt.Sprintf(" (oldest %s)", lag.Round(100*time.Millisecond))
	}
	s += ", arriving " + humanize.Comma(int64(c.arrivals.Rate()+0.5)) + "/s, applying " + humanize.Comma(int64(c.applies.Rate()+0.5)) + "/s"
	if c.warning {
		s += ", NOT CONVERGING: the backlog grows"
	}
	return s
}

// idSeen is when the log's highest id was first seen at a value.
type idSeen struct {
	id int64
	at time.Time
}

// seenMax records the log's highest id now, for the lag of a log without
// a changed_at column.
func (c *catchup) seenMax(id int64, now time.Time) {
	if n := len(c.maxSeenAt); n == 0 || c.maxSeenAt[n-1].id < id {
		c.maxSeenAt = append(c.maxSeenAt, idSeen{id, now})
	}
	// forget what has been applied
	pos := c.state.pos.MaxSeen
	i := 0
	for i < len(c.maxSeenAt)-1 && c.maxSeenAt[i+1].id <= pos {
		i++
	}
	c.maxSeenAt = c.maxSeenAt[i:]
}

// observedLag is how long the oldest pending id has been known to exist: a
// lower bound of its age, as seen by this catch-up.
func (c *catchup) observedLag(now time.Time) time.Duration {
	pos := c.state.pos.MaxSeen
	for _, s := range c.maxSeenAt {
		if s.id > pos {
			return now.Sub(s.at)
		}
	}
	return 0
}
