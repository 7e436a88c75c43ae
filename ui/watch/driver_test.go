package watch

import (
	"testing"
	"time"
)

// TestGoneTime: the time a driver went is given only when this watcher saw
// it running; one dead before the watcher began has none.
func TestGoneTime(t *testing.T) {
	now := time.Date(2026, 3, 1, 14, 3, 22, 0, time.UTC)
	dead := driverIdent{host: "h", pid: 1 << 30} // no such process
	p := &prober{path: "/nonexistent", host: "h"}
	d := p.probe(dead, now)
	if d.State != DriverGone || !d.At.IsZero() || d.String() != "driver pid 1073741824 gone without closing the session" {
		t.Fatalf("dead from the start: %+v %q", d, d.String())
	}
	me := driverIdent{host: "h", pid: osGetpid()}
	if d := p.probe(me, now); d.State != DriverRunning {
		t.Fatalf("this process: %+v", d)
	}
	d = p.probe(dead, now.Add(time.Second))
	if !d.At.Equal(now.Add(time.Second)) {
		t.Fatalf("seen running, then gone: at %s", d.At)
	}
	if d = p.probe(dead, now.Add(time.Minute)); !d.At.Equal(now.Add(time.Second)) {
		t.Fatalf("the time it went moves on: %s", d.At)
	}
	other := driverIdent{host: "elsewhere", pid: 1}
	if d := p.probe(other, now); d.State != DriverUnknown || d.String() != "driver: runs on elsewhere, its process cannot be seen from h" {
		t.Fatalf("another host: %+v %q", d, d.String())
	}
	closed := driverIdent{host: "h", closed: true, how: "stopped", closedAt: now}
	if d := p.probe(closed, now); d.State != DriverClosed || !d.Ended() {
		t.Fatalf("closed: %+v", d)
	}
}
