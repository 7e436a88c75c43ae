package engine

import (
	"context"
	"sync"
	"time"
)

// Control holds the live knobs of a running engine, shared with the console:
// a rate limit in rows per second and a pause switch. Safe for concurrent use.
type Control struct {
	mu       sync.Mutex
	rate     int
	paused   bool
	changed  chan struct{} // closed and replaced on every change, to wake waiters
	lastAt   time.Time     // when the last rows passed
	lastRows int           // how many; the next pass waits lastRows/rate after lastAt

	granted int64         // rows let through
	delayed time.Duration // time the rate limit made callers wait, in total

	pausedAt  time.Time     // when the current pause began
	pausedFor time.Duration // pauses that ended, in total

	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration, wake <-chan struct{}) error
}

// NewControl makes a Control with a rate limit (0 = unlimited), not paused.
func NewControl(rowsPerSec int) *Control {
	return &Control{rate: max(rowsPerSec, 0), changed: make(chan struct{}), now: time.Now, sleep: sleepOrWake}
}

// SetRate changes the rate limit; 0 means unlimited. Waiters see it at once.
func (c *Control) SetRate(rowsPerSec int) {
	c.mu.Lock()
	c.rate = max(rowsPerSec, 0)
	c.broadcast()
	c.mu.Unlock()
}

// Rate is the current rate limit, 0 = unlimited.
func (c *Control) Rate() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rate
}

// Pause makes Wait block until Resume.
func (c *Control) Pause() {
	c.mu.Lock()
	if !c.paused {
		c.pausedAt = c.now()
	}
	c.paused = true
	c.broadcast()
	c.mu.Unlock()
}

// Resume lets Wait continue.
func (c *Control) Resume() {
	c.mu.Lock()
	if c.paused {
		c.pausedFor += c.now().Sub(c.pausedAt)
	}
	c.paused = false
	c.broadcast()
	c.mu.Unlock()
}

// Paused reports whether the engine is held.
func (c *Control) Paused() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.paused
}

// activeNow is the time with every pause taken out: a meter reading it
// measures the rate of the work, not of the work and the lead's pause (a
// 20 s pause made a copy's ETA hours long just after it resumed, and the
// forecast and a window drift warning with it). A nil Control is time.Now.
func (c *Control) activeNow() time.Time {
	if c == nil {
		return time.Now()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	off := c.pausedFor
	if c.paused {
		off += now.Sub(c.pausedAt)
	}
	return now.Add(-off)
}

// Granted is the number of rows Wait has let through so far.
func (c *Control) Granted() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.granted
}

// Delayed is the total time the rate limit has held callers back.
func (c *Control) Delayed() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.delayed
}

func (c *Control) broadcast() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// Wait blocks while paused, then lets rows through at the rate limit: a call
// returns once the rows of earlier calls have had their time (rows/rate), so
// that over any stretch the rows let through never exceed the rate by more
// than the last call's rows. A nil Control never waits.
func (c *Control) Wait(ctx context.Context, rows int) error {
	if c == nil {
		return ctx.Err()
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		c.mu.Lock()
		wake := c.changed
		if c.paused {
			c.mu.Unlock()
			select {
			case <-wake:
				continue
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if c.rate == 0 {
			c.lastAt, c.lastRows = c.now(), rows
			c.granted += int64(rows)
			c.mu.Unlock()
			return nil
		}
		now := c.now()
		// Computed with the current rate, so that a rate raised while
		// waiting takes effect at once.
		next := c.lastAt.Add(time.Duration(float64(c.lastRows) / float64(c.rate) * float64(time.Second)))
		if wait := next.Sub(now); wait > 0 {
			c.mu.Unlock()
			start := c.now()
			err := c.sleep(ctx, wait, wake)
			c.mu.Lock()
			c.delayed += c.now().Sub(start)
			c.mu.Unlock()
			if err != nil {
				return err
			}
			continue // the rate may have changed meanwhile
		}
		c.lastAt, c.lastRows = now, rows
		c.granted += int64(rows)
		c.mu.Unlock()
		return nil
	}
}

// maxRows is the largest batch that keeps the rate smooth over d.
func (c *Control) maxRows(d time.Duration) int {
	if c == nil {
		return 0
	}
	r := c.Rate()
	if r == 0 {
		return 0
	}
	return max(1, int(float64(r)*d.Seconds()))
}

func sleepOrWake(ctx context.Context, d time.Duration, wake <-chan struct{}) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-wake:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
