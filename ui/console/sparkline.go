package console

import (
	"strings"
	"time"

	"github.com/dustin/go-humanize"

	"runway/engine"
	"runway/runbook/text"
)

// Pending changes of a running catch-up are sampled once a second, and the
// last trendSamples of them drawn as a sparkline: a backlog that shrinks or
// grows is seen at a glance.
const (
	trendSamples = 30
	trendEvery   = time.Second
)

// trend holds the recent pending counts of each running catch-up, by item.
// It is replaced, never changed in place: models share it by value.
type trend struct {
	at      time.Time // when the last sample was taken
	pending map[string][]int64
}

// sample adds the catch-ups' pending counts in live, at most once per
// trendEvery; a catch-up that no longer runs is dropped.
func (tr trend) sample(at time.Time, live map[string][]engine.Progress) trend {
	if tr.pending != nil && at.Sub(tr.at) < trendEvery {
		return tr
	}
	next := trend{at: at, pending: map[string][]int64{}}
	for id, ps := range live {
		var pending int64
		catchup := false
		for _, p := range ps {
			if p.Engine == "catchup" {
				catchup = true
				pending += max(p.Total-p.Done, 0)
			}
		}
		if !catchup {
			continue
		}
		old := tr.pending[id]
		old = old[max(len(old)-trendSamples+1, 0):]
		next.pending[id] = append(append(make([]int64, 0, len(old)+1), old...), pending)
	}
	return next
}

// trendLine is a running catch-up's pending changes and their trend, under
// its bar; "" when there is no trend yet.
func (m Model) trendLine(item string, indent int) string {
	samples := m.trend.pending[item]
	if len(samples) < 2 {
		return ""
	}
	last := samples[len(samples)-1]
	return strings.Repeat(" ", indent) + m.sty.Muted.Render("pending ") + humanize.Comma(last) + " " +
		sparkline(samples) + m.sty.Muted.Render(" last "+text.Short(time.Duration(len(samples)-1)*trendEvery))
}

// sparkline draws values as one block per value, from ▁ (zero) to █ (the
// largest), so that a backlog draining to zero reads as falling to the floor.
func sparkline(values []int64) string {
	const blocks = "▁▂▃▄▅▆▇█"
	levels := []rune(blocks)
	var top int64
	for _, v := range values {
		top = max(top, v)
	}
	var b strings.Builder
	for _, v := range values {
		i := 0
		if top > 0 {
			i = int((v*int64(len(levels)-1) + top/2) / top)
		}
		b.WriteRune(levels[min(max(i, 0), len(levels)-1)])
	}
	return b.String()
}
