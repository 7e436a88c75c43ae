package engine

import (
	"time"
)

// Progress is a snapshot of one engine working on one table.
type Progress struct {
	Engine     string // "copy", "verify", "catchup"
	Table      string
	Done       int64         // rows done, including those of earlier runs that this one resumed
	Total      int64         // rows expected in all; 0 while unknown
	RowsPerSec float64       // recent rate
	ETA        time.Duration // 0 when unknown
	Note       string        // what is happening besides progress: "resumed", "retrying: …", "done"
}

// ProgressFunc receives progress. It is called often from engine goroutines,
// must not block, and callers keep only the latest value.
type ProgressFunc func(Progress)

// Meter turns a growing count into a recent rate and an ETA, over a sliding
// window of about ten seconds.
type Meter struct {
	window  time.Duration
	samples []sample
	now     func() time.Time
}

type sample struct {
	at   time.Time
	done int64
}

// NewMeter starts a meter at count done.
func NewMeter(done int64) *Meter { return newMeterAt(done, time.Now) }

// newActiveMeter starts a meter that does not count c's pauses as time.
func newActiveMeter(done int64, c *Control) *Meter { return newMeterAt(done, c.activeNow) }

// newMeterAt starts a meter reading the time from clock.
func newMeterAt(done int64, clock func() time.Time) *Meter {
	m := &Meter{window: 10 * time.Second, now: clock}
	m.samples = append(m.samples, sample{m.now(), done})
	return m
}

// Add records the count done now and returns the recent rate in rows/s.
func (m *Meter) Add(done int64) float64 {
	now := m.now()
	m.samples = append(m.samples, sample{now, done})
	// keep one sample older than the window as the base
	for len(m.samples) > 2 && now.Sub(m.samples[1].at) > m.window {
		m.samples = m.samples[1:]
	}
	return m.Rate()
}

// Rate is the recent rate in rows/s.
func (m *Meter) Rate() float64 {
	if len(m.samples) < 2 {
		return 0
	}
	a, b := m.samples[0], m.samples[len(m.samples)-1]
	dt := b.at.Sub(a.at).Seconds()
	if dt <= 0 {
		return 0
	}
	return float64(b.done-a.done) / dt
}

// ETA is the time left to reach total at the recent rate, 0 when unknown.
func (m *Meter) ETA(done, total int64) time.Duration {
	r := m.Rate()
	if r <= 0 || total <= done {
		return 0
	}
	return time.Duration(float64(total-done) / r * float64(time.Second)).Round(time.Second)
}
