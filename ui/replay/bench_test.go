package replay

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"runway/runbook/audit"
	"runway/runbook/fold"
)

// benchEvents is the size of the session the benchmarks replay.
const benchEvents = 100_000

var benchTL *Timeline

func benchTimeline(b *testing.B) *Timeline {
	if benchTL == nil {
		benchTL = timeline(b, benchEvents)
	}
	return benchTL
}

// BenchmarkReplaySeek seeks a 100,000-event session to random points, in
// either direction: the fold at the new cursor, from the nearest snapshot.
// "fold" is the reference, folding the prefix from the first event; "frame"
// is a seek until the console shows it (state re-read and View).
func BenchmarkReplaySeek(b *testing.B) {
	tl := benchTimeline(b)
	targets := make([]int, 1024)
	for i := range targets {
		targets[i] = rng.IntN(tl.Len() + 1)
	}
	b.Run("snapshots", func(b *testing.B) {
		m := newModel(b, tl, 80, 24)
		i := 0
		for b.Loop() {
			m.moveTo(targets[i%len(targets)])
			i++
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/seek")
	})
	b.Run("fold", func(b *testing.B) {
		i := 0
		for b.Loop() {
			_ = fold.Fold(tl.Runbook(), tl.events[:targets[i%len(targets)]])
			i++
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/seek")
	})
	b.Run("frame", func(b *testing.B) {
		p := run(b, newModel(b, tl, 80, 24))
		i := 0
		for b.Loop() {
			p.m.moveTo(targets[i%len(targets)])
			p.settle()
			_ = p.m.View()
			i++
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/seek")
	})
}

// BenchmarkReplayRender plays the 100,000-event session and measures one
// frame: the cursor moves by a frame's worth of play time (5 events at 1×,
// about 320 at 64×), the console re-reads the state and draws it. "still"
// is the reference: drawing a paused replay, no cursor move.
func BenchmarkReplayRender(b *testing.B) {
	tl := benchTimeline(b)
	b.Run("still", func(b *testing.B) {
		p := run(b, newModel(b, tl, 80, 24))
		p.m.moveTo(tl.Len() / 3)
		p.settle()
		for b.Loop() {
			_ = p.m.View()
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/frame")
	})
	for _, speed := range []int{1, 64} {
		b.Run(fmt.Sprintf("%dx", speed), func(b *testing.B) {
			p := run(b, newModel(b, tl, 80, 24))
			for Speeds[p.m.speed] < speed {
				p.press("+")
			}
			p.m.moveTo(tl.Len() / 3)
			p.press("space")
			at := time.Unix(0, 0)
			moved := 0
			for b.Loop() {
				from := p.m.Cursor()
				at = at.Add(p.m.opts.Frame)
				p.send(frameMsg{gen: p.m.gen, at: at})
				_ = p.m.View()
				moved += p.m.Cursor() - from
				if !p.m.Playing() { // the end: start again, off the clock
					b.StopTimer()
					p.m.moveTo(tl.Len() / 3)
					p.press("space")
					b.StartTimer()
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/frame")
			b.ReportMetric(float64(moved)/float64(b.N), "events/frame")
		})
	}
}

// BenchmarkReplayLoad opens a 100,000-event session from a real audit log:
// read every event, fold once, keep the snapshots. "verify" is the hash-chain
// check that runs before it, the reference.
func BenchmarkReplayLoad(b *testing.B) {
	path := filepath.Join(b.TempDir(), "runway.db")
	info := writeLog(b, path, synthetic(benchEvents))
	l, err := audit.OpenReadOnly(path)
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	rb := parseRunbook(b)
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			if _, err := Load(context.Background(), l, info, rb); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/load")
	})
	b.Run("verify", func(b *testing.B) {
		for b.Loop() {
			if rep, err := l.Verify(context.Background()); err != nil || !rep.OK {
				b.Fatal(rep.Reason, err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/verify")
	})
}
