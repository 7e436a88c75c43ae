package session

import (
	"encoding/json"
	"fmt"

	"runway/checks"
	"runway/runbook/audit"
	"runway/runbook/event"
)

// LeftRunningError is Resume's refusal while a command started by the
// interrupted run still runs: running the item again would run it twice
// at once.
type LeftRunningError struct {
	Item   string
	Guard  string // set instead of Item for a guard's command (guard_procs.go)
	PGID   int
	Member checks.Member // one process of the group, to check before killing it
}

func (e *LeftRunningError) Error() string {
	seen := ""
	if e.Member.Name != "" {
		seen = fmt.Sprintf(" (%s, pid %d)", e.Member.Name, e.Member.PID)
	}
	who := "item " + e.Item
	if e.Guard != "" {
		who = "guard " + e.Guard
	}
	return fmt.Sprintf("%s: its command from the interrupted run still runs as process group %d%s; wait for it or kill it (kill -- -%d), then resume",
		who, e.PGID, seen, e.PGID)
}

// processStarted records the process group of a command item's attempt.
func (s *Session) processStarted(actor, phase, item string) func(pgid int) {
	return func(pgid int) {
		s.exec(func(t *tx) error {
			return t.emit(actor, event.KindItemProcess, phase, item, event.ProcessPayload{PGID: pgid, Host: s.opts.Host})
		})
	}
}

// leftRunning finds a command that was running, on this host, when the
// session's last driver ended without a verdict for it, and whose process
// group is still alive.
func leftRunning(events []audit.Event, hosts ...string) error {
	type key struct{ phase, item string }
	open := map[key]event.ProcessPayload{}
	var order []key
	for _, e := range events {
		k := key{e.Phase, e.Item}
		switch e.Kind {
		case event.KindItemProcess:
			var p event.ProcessPayload
			if json.Unmarshal(e.Payload, &p) == nil && p.PGID > 0 {
				open[k] = p
				order = append(order, k)
			}
		case event.KindItemPassed, event.KindItemFailed, event.KindItemInterrupted,
			event.KindRollbackStepPassed, event.KindRollbackStepFailed:
			delete(open, k)
		}
	}
	for _, k := range order {
		p, ok := open[k]
		if !ok || !sameHost(p.Host, hosts) {
			continue
		}
		delete(open, k)
		if m, alive := checks.GroupMember(p.PGID); alive {
			return &LeftRunningError{Item: k.item, PGID: p.PGID, Member: m}
		}
	}
	return nil
}
