package engine

import (
	"math"
	"time"
)

// A catch-up is "not converging" when its backlog grows over a whole window,
// beyond noise: a kept-up writer leaves a handful of changes pending that
// come and go, and a burst that is drained again is not a trend either. The
// test is a least-squares line through the window's pending counts.

// minTrendSamples is the fewest samples a trend is drawn from.
const minTrendSamples = 10

// trend is a least-squares line through pending counts over time.
type trend struct {
	n        int
	span     float64 // seconds from the first sample to the last
	slope    float64 // pending rows per second
	slopeErr float64 // standard error of slope
	resid    float64 // standard deviation of the samples around the line
}

// fitTrend fits pending = a + slope·t through samples.
func fitTrend(s []pendingSample) trend {
	tr := trend{n: len(s)}
	if len(s) < 3 {
		return tr
	}
	t0 := s[0].at
	var st, sp float64
	for _, x := range s {
		st += x.at.Sub(t0).Seconds()
		sp += float64(x.pending)
	}
	n := float64(len(s))
	mt, mp := st/n, sp/n
	var stt, stp float64
	for _, x := range s {
		dt := x.at.Sub(t0).Seconds() - mt
		stt += dt * dt
		stp += dt * (float64(x.pending) - mp)
	}
	tr.span = s[len(s)-1].at.Sub(t0).Seconds()
	if stt == 0 {
		return tr
	}
	tr.slope = stp / stt
	var sse float64
	for _, x := range s {
		d := float64(x.pending) - (mp + tr.slope*(x.at.Sub(t0).Seconds()-mt))
		sse += d * d
	}
	tr.resid = math.Sqrt(sse / (n - 2))
	tr.slopeErr = tr.resid / math.Sqrt(stt)
	return tr
}

// tStat is how many standard errors the slope is from zero (+Inf for a
// perfect rising line).
func (t trend) tStat() float64 {
	switch {
	case t.slopeErr > 0:
		return t.slope / t.slopeErr
	case t.slope > 0:
		return math.Inf(1)
	case t.slope < 0:
		return math.Inf(-1)
	}
	return 0
}

// rising reports whether the line rises by at least minT standard errors.
func (t trend) rising(minT float64) bool {
	return t.n >= 3 && t.slope > 0 && t.tStat() >= minT
}

// halves splits samples at the middle of their time span.
func halves(s []pendingSample) (first, second []pendingSample) {
	if len(s) == 0 {
		return nil, nil
	}
	mid := s[0].at.Add(s[len(s)-1].at.Sub(s[0].at) / 2)
	i := 0
	for i < len(s) && !s[i].at.After(mid) {
		i++
	}
	return s[:i], s[i:]
}

// backlogGrowing is the onset test: over a whole window of at least
// minTrendSamples samples, the backlog rose clearly (t ≥ 3), by more than
// three times the samples' own spread around the line, faster than 1% of
// the apply rate, and in both halves of the window (a burst near its end is
// not a trend).
func backlogGrowing(s []pendingSample, window time.Duration, applyRate float64) (trend, bool) {
	tr := fitTrend(s)
	if tr.n < minTrendSamples || tr.span < window.Seconds() {
		return tr, false
	}
	if !tr.rising(3) || tr.slope*tr.span <= 3*tr.resid || tr.slope <= applyRate/100 {
		return tr, false
	}
	a, b := halves(s)
	return tr, fitTrend(a).rising(2) && fitTrend(b).rising(2)
}

// backlogSettled is the clearing test, looser than the onset so that the
// warning does not flap: the window no longer rises by a standard error, or
// its recent half clearly falls.
func backlogSettled(s []pendingSample) bool {
	if !fitTrend(s).rising(1) {
		return true
	}
	_, b := halves(s)
	return fitTrend(b).tStat() <= -2
}
