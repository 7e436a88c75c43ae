package serve

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// overlapWriter counts Write calls that ran while another was running.
type overlapWriter struct {
	inFlight, overlaps atomic.Int32
}

func (w *overlapWriter) Write(p []byte) (int, error) {
	if w.inFlight.Add(1) > 1 {
		w.overlaps.Add(1)
	}
	time.Sleep(time.Millisecond) // a slow link: a second writer arrives meanwhile
	w.inFlight.Add(-1)
	return len(p), nil
}

// The renderer's frames and the console's titles and bells are written from
// different goroutines; an SSH channel's Write is not safe for concurrent
// use (the race detector caught two writes sharing its packet buffer), so
// the connection takes them one at a time.
func TestMeterWritesOneAtATime(t *testing.T) {
	w := &overlapWriter{}
	m := &meter{w: w}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				m.Write([]byte("frame"))
			}
		}()
	}
	wg.Wait()
	if n := w.overlaps.Load(); n != 0 {
		t.Fatalf("%d writes reached the connection while another was under way", n)
	}
	if got := m.written.Load(); got != 4*20*5 {
		t.Fatalf("counted %d bytes written, want %d", got, 4*20*5)
	}
}
