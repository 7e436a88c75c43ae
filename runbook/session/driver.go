package session

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/proc"
)

// DrivenError is Resume's refusal to take over a session that another live
// process still drives (it holds the session's lock, or, for a log written
// by an older runway, its recorded pid on this host is alive): two writers
// would interleave their events, and the first would go on after the
// second closed the session.
type DrivenError struct {
	ID   string // the session
	PID  int    // the process driving it
	Host string // the host it runs on (this one)
}

func (e *DrivenError) Error() string {
	if e.PID <= 0 {
		return fmt.Sprintf("session %s is being driven by another process", e.ID)
	}
	return fmt.Sprintf("session %s is being driven by process %d on host %s", e.ID, e.PID, e.Host)
}

// selfPID is this process: a session it opened itself is never foreign.
var selfPID = os.Getpid()

// liveDriver returns who drives the session, from the latest session.opened
// or session.resumed with no session.closed after it, when that process is
// on this host, is not this process and is still alive; nil otherwise (a
// log that records no pid, another host, or a process that is gone).
func liveDriver(id string, events []audit.Event, hosts ...string) *DrivenError {
	var pid int
	var host string
	for _, e := range events {
		switch e.Kind {
		case event.KindSessionOpened, event.KindSessionResumed:
			// Both payloads carry host and pid under the same names.
			var p struct {
				Host string `json:"host"`
				PID  int    `json:"pid"`
			}
			_ = json.Unmarshal(e.Payload, &p)
			pid, host = p.PID, p.Host
		case event.KindSessionClosed:
			pid, host = 0, ""
		}
	}
	if pid <= 0 || pid == selfPID || !sameHost(host, hosts) || !alive(pid) {
		return nil
	}
	return &DrivenError{ID: id, PID: pid, Host: host}
}

func sameHost(host string, hosts []string) bool {
	for _, h := range hosts {
		if h != "" && h == host {
			return true
		}
	}
	return false
}

// claimForResume takes the session's lock, then reads its events (only now
// are they final: no one else may append) and checks what the lock cannot
// see: a driver from an older runway that took no lock, and a command of
// the interrupted run that still runs. Whatever refuses releases the lock.
func claimForResume(ctx context.Context, log *audit.Log, id, host string) (*claim, []audit.Event, error) {
	c, err := claimSession(log, id, host)
	if err != nil {
		return nil, nil, err
	}
	events, err := log.Events(ctx, id, 0)
	if err != nil {
		c.release()
		return nil, nil, fmt.Errorf("resume session %s: %w", id, err)
	}
	thisHost, _ := os.Hostname()
	if d := liveDriver(id, events, host, thisHost); d != nil {
		c.release()
		return nil, nil, d
	}
	if err := leftRunning(events, host, thisHost); err != nil {
		c.release()
		return nil, nil, err
	}
	if err := leftGuard(guardProcsFile(log.Path(), id), host, thisHost); err != nil {
		c.release()
		return nil, nil, err
	}
	// It may have passed while we waited for the lock.
	if err := nothingToResume(id, events); err != nil {
		c.release()
		return nil, nil, err
	}
	return c, events, nil
}

// alive reports whether process pid still runs; where that cannot be
// told, a resume is not held back by a guess.
func alive(pid int) bool {
	live, _ := proc.Alive(pid)
	return live
}
