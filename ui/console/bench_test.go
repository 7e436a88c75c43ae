package console

import (
	"testing"
	"time"

	"runway/engine"
	"runway/runbook/event"
)

// BenchmarkView500 draws a 500-item runbook (5 phases × 100 items) in the
// middle of its third phase, with a running item's live progress: the budget
// is 5 ms per View. BenchmarkViewOrders, the 8-item runbook, is the
// reference to compare it with in the same run.
func BenchmarkView500(b *testing.B) {
	f := newFake(bigRunbook(5, 100))
	for p := 1; p <= 2; p++ {
		phase := "phase-" + itoa(p)
		f.emit("alice", event.KindPhaseStarted, phase, "", nil)
		for i := 1; i <= 100; i++ {
			pass(f, phase, "item-"+pad3(i), "ok")
		}
		f.emit("alice", event.KindPhasePassed, phase, "", nil)
	}
	f.emit("alice", event.KindPhaseStarted, "phase-3", "", nil)
	for i := 1; i < 50; i++ {
		pass(f, "phase-3", "item-"+pad3(i), "ok")
	}
	f.emit("alice", event.KindItemStarted, "phase-3", "item-050", event.StartedPayload{Attempt: 1})
	f.setLive("item-050", engine.Progress{Engine: "wait", Done: 400, Total: 1000, ETA: 3 * time.Minute, Note: "soak: 3m left"})
	benchView(b, f)
}

func BenchmarkViewOrders(b *testing.B) { benchView(b, copying()) }

func benchView(b *testing.B, f *fakeCore) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		b.Run(itoa(size[0])+"x"+itoa(size[1]), func(b *testing.B) {
			m := newModel(b, f, size[0], size[1])
			b.ReportAllocs()
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

func pad3(i int) string {
	s := itoa(i)
	for len(s) < 3 {
		s = "0" + s
	}
	return s
}
