package session

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"runway/checks"
	"runway/runbook"
	"runway/runbook/event"
)

// guardEval is one guard's state machine, a pure function of its samples:
// each sample is classified (ok, warn, critical, error), and the state
// changes only when a breach held for For samples in a row, or on the
// first ok sample (a recovery). A check error is a breach of the guard's
// highest level: For errors in a row of a guard with a critical threshold
// are critical (fail closed).
type guardEval struct {
	g       runbook.Guard
	state   string
	samples []guardSample // the trend window's samples, oldest first
	crit    int           // samples in a row at critical (errors count when critical is set)
	warn    int           // samples in a row at warn or above (errors count)
}

type guardSample struct {
	at  time.Time
	num float64
	ok  bool // num is a number
}

// guardVerdict is what one sample did to the guard.
type guardVerdict struct {
	changed          bool
	from, to         string
	value, threshold string
	count            int
}

func newGuardEval(g runbook.Guard) *guardEval { return &guardEval{g: g, state: event.GuardOK} }

// observe classifies one sample taken at at and moves the state.
func (e *guardEval) observe(at time.Time, value string, sampleErr error) guardVerdict {
	if sampleErr == nil {
		e.remember(at, value)
	}
	level, threshold, shown := e.classify(value, sampleErr)
	e.count(level)
	v := guardVerdict{from: e.state, value: shown, threshold: threshold}
	switch {
	case e.crit >= e.g.For && e.g.Critical != nil:
		v.to, v.count = event.GuardCritical, e.crit
	case e.warn >= e.g.For && e.g.Warn != nil && level != event.GuardCritical:
		v.to, v.count = event.GuardWarn, e.warn
	case e.warn >= e.g.For && e.g.Warn != nil: // critical, not yet For in a row
		v.to, v.count, v.threshold = event.GuardWarn, e.warn, e.g.Warn.String()
	case level == event.GuardError:
		v.to, v.count = event.GuardError, e.warn
	case level == event.GuardOK:
		v.to = event.GuardOK
	default:
		v.to = e.state // a breach not yet For in a row
	}
	v.changed = v.to != e.state
	e.state = v.to
	return v
}

func (e *guardEval) count(level string) {
	switch level {
	case event.GuardOK:
		e.crit, e.warn = 0, 0
	case event.GuardWarn:
		e.crit, e.warn = 0, e.warn+1
	case event.GuardCritical:
		e.crit, e.warn = e.crit+1, e.warn+1
	case event.GuardError:
		if e.g.Critical != nil {
			e.crit++
		}
		e.warn++
	}
}

// classify says the level one sample is at, the condition it breached and
// the value to show.
func (e *guardEval) classify(value string, sampleErr error) (level, threshold, shown string) {
	if sampleErr != nil {
		return event.GuardError, "check failing", checks.ClipSample("error: " + sampleErr.Error())
	}
	for _, c := range []struct {
		level string
		cond  *runbook.GuardCondition
	}{{event.GuardCritical, e.g.Critical}, {event.GuardWarn, e.g.Warn}} {
		if c.cond == nil {
			continue
		}
		holds, err := e.holds(*c.cond, value)
		if err != nil {
			return event.GuardError, "check failing", checks.ClipSample("error: " + err.Error())
		}
		if holds {
			return c.level, c.cond.String(), value
		}
	}
	return event.GuardOK, "", value
}

// holds evaluates a condition against the latest value and the window.
func (e *guardEval) holds(c runbook.GuardCondition, value string) (bool, error) {
	switch {
	case len(c.All) > 0:
		for _, sub := range c.All {
			if ok, err := e.holds(sub, value); err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case len(c.Any) > 0:
		for _, sub := range c.Any {
			if ok, err := e.holds(sub, value); err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	}
	got := value
	if c.Trend == runbook.TrendRate || c.Trend == runbook.TrendDelta {
		t, known := e.trend(c.Trend, c.Window.D())
		if !known {
			return false, nil // not two samples in the window yet
		}
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return false, fmt.Errorf("%s over %s is not a finite number", c.Trend, c.Window)
		}
		got = strconv.FormatFloat(t, 'g', 12, 64)
	} else if ordering(c.Expect) {
		// NaN and ±Inf compare false with everything: read as ok they would
		// let a guard pass that cannot tell (0/0 of an idle error ratio).
		if n, err := strconv.ParseFloat(strings.TrimSpace(value), 64); err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
			return false, fmt.Errorf("value %s is not a finite number", quoteShort(value))
		}
	}
	ok, _, err := checks.CompareValue(got, c.Expect)
	return ok, err
}

// quoteShort quotes at most the first 32 characters of v: enough to
// recognise a word where a number was expected, never a screenful.
func quoteShort(v string) string {
	if r := []rune(v); len(r) > 32 {
		return strconv.Quote(string(r[:32])) + "…"
	}
	return strconv.Quote(v)
}

// ordering reports whether expect compares by order (<, <=, >, >=).
func ordering(expect string) bool {
	s := strings.TrimSpace(expect)
	return strings.HasPrefix(s, "<") || strings.HasPrefix(s, ">")
}

// remember keeps the sample for trends, dropping those older than the
// longest window (one older sample is kept as the window's start).
func (e *guardEval) remember(at time.Time, value string) {
	n, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
	for len(e.samples) > 0 && e.samples[len(e.samples)-1].at.After(at) {
		e.samples = e.samples[:len(e.samples)-1] // the clock went back: forget its future
	}
	finite := err == nil && !math.IsNaN(n) && !math.IsInf(n, 0)
	e.samples = append(e.samples, guardSample{at: at, num: n, ok: finite})
	w := max(windowOf(e.g.Warn), windowOf(e.g.Critical))
	cut := 0
	for cut < len(e.samples)-1 && at.Sub(e.samples[cut+1].at) >= w {
		cut++
	}
	e.samples = e.samples[cut:]
	if len(e.samples) > 10000 { // a bound, whatever the clock does
		e.samples = e.samples[len(e.samples)-10000:]
	}
}

func windowOf(c *runbook.GuardCondition) time.Duration {
	if c == nil {
		return 0
	}
	return c.Windows().D()
}

// trend is the change over window (delta) or its per-second rate, from the
// oldest sample at most window before the latest; known is false with
// fewer than two numeric samples in it.
func (e *guardEval) trend(kind string, window time.Duration) (float64, bool) {
	if len(e.samples) < 2 {
		return 0, false
	}
	last := e.samples[len(e.samples)-1]
	if !last.ok {
		return 0, false
	}
	for _, s := range e.samples[:len(e.samples)-1] {
		if !s.ok || last.at.Sub(s.at) > window {
			continue
		}
		secs := last.at.Sub(s.at).Seconds()
		if secs <= 0 {
			return 0, false
		}
		if kind == runbook.TrendRate {
			return (last.num - s.num) / secs, true
		}
		return last.num - s.num, true
	}
	return 0, false
}
