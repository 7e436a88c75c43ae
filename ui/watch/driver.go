package watch

import (
	"fmt"
	"os"
	"time"

	"runway/runbook/proc"
)

// DriverState is what a watcher knows of the process driving the session.
type DriverState int

// Driver states.
const (
	DriverUnknown DriverState = iota // it cannot be told from here (another host, no /proc)
	DriverRunning                    // the driver's process is alive
	DriverClosed                     // the session recorded session.closed
	DriverGone                       // the driver's process ended without closing the session
)

// DriverStatus says how the driver stands, and how that was found out.
type DriverStatus struct {
	State  DriverState
	PID    int       // the driver's process id, when known
	Host   string    // the host the session is driven from
	Closed string    // how the session closed: passed, stopped, quit
	At     time.Time // when it closed, or when it was first found gone
	Why    string    // why the state is unknown
}

// String is the status in words, one line.
func (d DriverStatus) String() string {
	switch d.State {
	case DriverRunning:
		return fmt.Sprintf("driver pid %d on %s", d.PID, d.Host)
	case DriverClosed:
		s := "the driver closed the session"
		if d.Closed != "" {
			s += " (" + d.Closed + ")"
		}
		if !d.At.IsZero() {
			s += " at " + d.At.Local().Format("15:04:05")
		}
		return s
	case DriverGone:
		s := "driver"
		if d.PID > 0 {
			s += fmt.Sprintf(" pid %d", d.PID)
		}
		s += " gone"
		if !d.At.IsZero() {
			s += " at " + d.At.Local().Format("15:04:05")
		}
		return s + " without closing the session"
	}
	if d.Why != "" {
		return "driver: " + d.Why
	}
	return "driver: cannot tell whether it runs"
}

// Ended reports whether the driver will write no more: closed or gone.
func (d DriverStatus) Ended() bool { return d.State == DriverClosed || d.State == DriverGone }

// driverIdent is who drives the session, as the log tells it: the host and
// process id from session.opened or the latest session.resumed (logs written
// before session.opened carried a pid have none there).
type driverIdent struct {
	host     string
	pid      int // 0 when the log does not record it
	closed   bool
	how      string // session.closed's status
	closedAt time.Time
}

// prober decides the driver's state from what the log says and, on this
// host, from the process table. It remembers the process it found holding
// the log open, and when the driver was first found gone.
type prober struct {
	path, host string
	self       int       // left out when looking for the writer: this process, or -1 for none
	seen       int       // the writer found by looking, while it lives
	last       int       // the last driver pid known, kept for the words once it is gone
	alive      bool      // a driver was seen running
	gone       time.Time // when the driver was first found gone after it was seen running
}

func (p *prober) probe(id driverIdent, now time.Time) DriverStatus {
	d := p.decide(id)
	switch d.State {
	case DriverGone:
		// When it went is known (to a probe's period) only if this watcher
		// saw it running; a driver dead before the watcher began has no time.
		if p.gone.IsZero() && p.alive {
			p.gone = now
		}
		d.At = p.gone
	case DriverRunning:
		p.alive, p.gone = true, time.Time{}
	}
	if d.PID > 0 {
		p.last = d.PID
	} else if d.State == DriverGone {
		d.PID = p.last
	}
	return d
}

func (p *prober) decide(id driverIdent) DriverStatus {
	d := DriverStatus{Host: id.host}
	switch {
	case id.closed:
		d.State, d.Closed, d.At = DriverClosed, id.how, id.closedAt
		return d
	case id.host != "" && p.host != "" && id.host != p.host:
		d.State, d.Why = DriverUnknown, "runs on "+id.host+", its process cannot be seen from "+p.host
		return d
	case id.pid > 0:
		// A resumed session names its process: ask the kernel about it.
		d.PID = id.pid
		switch live, known := proc.Alive(id.pid); {
		case !known:
			d.State, d.Why = DriverUnknown, "processes cannot be looked up here"
		case live:
			d.State = DriverRunning
		default:
			d.State = DriverGone
		}
		return d
	}
	// The log records no process id for a session that was never resumed:
	// the process holding the log open for writing is its driver.
	if live, _ := proc.Alive(p.seen); p.seen > 0 && live {
		d.State, d.PID = DriverRunning, p.seen
		return d
	}
	p.seen = 0
	pids, ok := writers(p.path, p.self)
	switch {
	case !ok:
		d.State, d.Why = DriverUnknown, "the log records no process id and /proc cannot be read here"
	case len(pids) == 0:
		d.State = DriverGone
	default:
		p.seen = pids[0]
		d.State, d.PID = DriverRunning, p.seen
	}
	return d
}

func osGetpid() int { return os.Getpid() }
