package engine

import (
	"fmt"
	"time"

	"github.com/dustin/go-humanize"
)

// applyCapacity measures how fast a catch-up applies when it has work: log
// rows per second of time spent reading and applying batches. It is the
// writer rate above which the catch-up falls behind. Batches at least half
// full measure it; small batches (a writer that is kept up with) carry more
// overhead per row, so from them alone the figure is only a lower bound.
type applyCapacity struct {
	fullRows, smallRows int64
	fullTime, smallTime time.Duration
}

// add records one batch of rows that took took; empty batches are idle time.
func (a *applyCapacity) add(rows, batch int, took time.Duration) {
	switch {
	case rows <= 0:
	case 2*rows >= batch:
		a.fullRows += int64(rows)
		a.fullTime += took
	default:
		a.smallRows += int64(rows)
		a.smallTime += took
	}
}

// rate is the measured capacity in log rows per second, and whether it
// comes from small batches only (a lower bound). 0 when nothing was applied.
func (a *applyCapacity) rate() (perSec float64, lowerBound bool) {
	if a.fullRows > 0 && a.fullTime > 0 {
		return float64(a.fullRows) / a.fullTime.Seconds(), false
	}
	if a.smallRows > 0 && a.smallTime > 0 {
		return float64(a.smallRows) / a.smallTime.Seconds(), true
	}
	return 0, false
}

// warnNotConverging records, once per catch-up, that the backlog has been
// found growing; later stretches of growth are counted into that warning by
// closeWarning instead of repeating it.
func (c *catchup) warnNotConverging(now time.Time) {
	if c.warnIdx > 0 {
		return
	}
	c.res.Warnings = append(c.res.Warnings, fmt.Sprintf(
		"not converging from %s: the backlog grew by ~%s changes/s over %s (%s pending, arriving ~%s/s, applying ~%s/s)",
		now.UTC().Format("15:04:05"), humanize.Comma(int64(c.conv.growth+0.5)), c.opts.NotConverging,
		humanize.Comma(c.res.Pending), humanize.Comma(int64(c.conv.arrivals.Rate()+0.5)),
		humanize.Comma(int64(c.conv.applies.Rate()+0.5))))
	c.warnIdx = len(c.res.Warnings)
}

// closeWarning completes the not-converging warning at the end of the run:
// how many stretches of growth there were, and whether it settled since.
func (c *catchup) closeWarning() {
	if c.warnIdx == 0 || c.warnClosed {
		return
	}
	c.warnClosed = true
	w := &c.res.Warnings[c.warnIdx-1]
	if n := c.conv.episodes; n > 1 {
		*w += fmt.Sprintf("; %d stretches of growth in all", n)
	}
	if !c.conv.notConverging() {
		*w += "; it settled again later"
	}
}
