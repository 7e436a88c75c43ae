package engine

import (
	"testing"
	"time"
)

// A pause is not time the engine worked: after 20 s paused, the rate is
// the rate of the work before and after it, and so is the ETA.
func TestMeterLeavesPausesOut(t *testing.T) {
	c, clock := fakeControl(0)
	m := newActiveMeter(0, c)
	step := func(d time.Duration) {
		clock.mu.Lock()
		clock.t = clock.t.Add(d)
		clock.mu.Unlock()
	}
	for done := int64(500); done <= 2500; done += 500 { // 500 rows a second
		step(time.Second)
		m.Add(done)
	}
	c.Pause()
	step(20 * time.Second)
	c.Resume()
	step(time.Second)
	if r := m.Add(3000); r < 450 || r > 550 {
		t.Errorf("rate just after a 20 s pause %.0f rows/s, want about 500", r)
	}
	if eta := m.ETA(3000, 200000); eta > 7*time.Minute {
		t.Errorf("ETA %s for 197,000 rows at 500 rows/s", eta)
	}
}
