package console

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"

	"runway/runbook/fold"
	"runway/ui/inert"
)

// updateKeys switches bindings on and off for the selection and the session's
// state, so the footer lists only what can be done now; for each binding it
// switches off it notes why, so pressing the key anyway explains itself. The
// rules mirror the session's stop rules, but the session checks every action
// again: this only keeps the help true.
func (m *Model) updateKeys() {
	k := &m.keys
	m.why = map[string]string{}
	set := func(b *key.Binding, ok bool, why string) {
		b.SetEnabled(ok)
		if !ok && why != "" {
			for _, name := range b.Keys() {
				m.why[name] = why
			}
		}
	}
	if m.drv == nil || m.ended || m.quitting {
		why := "read-only: this console is watching"
		if m.drv != nil {
			why = "the session has ended"
		}
		for _, b := range k.Mutating() {
			set(b, false, why)
		}
		if m.drv == nil && m.st.Pending != nil && m.opts.ApproveElsewhere != "" {
			set(&k.Approve, false, m.opts.ApproveElsewhere) // a watcher approves with runway approve
		}
		return
	}

	sel := m.selected()
	rolling := m.st.Rollback != nil && m.st.Rollback.Running
	busy := m.busy()
	locked := m.lockedReason(m.phase)
	var blocked string // why nothing may start in this phase now
	switch {
	case rolling:
		blocked = "a rollback is running"
	case busy:
		blocked = "something is already running; wait for it to finish"
	case m.guardStop():
		blocked = "guard " + inert.OneLine(m.st.Stop.Guard) + " holds a stop: acknowledge it first (o)"
	case m.st.Stop != nil:
		blocked = "a stop rule holds: retry, override or roll back first"
	default:
		blocked = locked
	}
	if sel.item == nil {
		for _, b := range []*key.Binding{&k.Run, &k.SignOff, &k.Skip, &k.Retry, &k.Override, &k.Pause, &k.Faster, &k.Slower, &k.Rate} {
			set(b, false, "this phase has no items")
		}
	} else {
		m.itemKeys(itemScope{sel: sel, blocked: blocked, locked: locked, busy: rolling || busy, set: set})
	}
	next := m.nextItem(m.phase)
	switch {
	case blocked != "":
		set(&k.RunPhase, false, blocked)
	case next < 0:
		set(&k.RunPhase, false, "nothing is left to run in this phase")
	case m.itemState(m.phase, next).Status == fold.ItemAwaiting:
		set(&k.RunPhase, false, "the phase waits for a sign-off: press s")
	default:
		set(&k.RunPhase, true, "")
	}

	switch p := m.st.Pending; {
	case p == nil:
		set(&k.Approve, false, "no override waits for approval")
	case m.opts.ApproveElsewhere != "":
		set(&k.Approve, false, m.opts.ApproveElsewhere)
	case p.RequestedBy == m.actor():
		set(&k.Approve, false, "you asked for this override: a second person must approve it")
	default:
		set(&k.Approve, true, "")
	}
	m.withdrawKeys(set)
	set(&k.Rollback, !rolling, "a rollback is running")
	set(&k.Note, true, "")
	m.roleKeys(set)
	m.stopChoiceKeys()
}

// nextItem is the first item of phase p that still holds it back (not
// passed, skipped or overridden, nor a non-critical failure), or -1.
func (m Model) nextItem(p int) int {
	if p < 0 || p >= len(m.rb.Phases) {
		return -1
	}
	for i, spec := range m.rb.Phases[p].Items {
		is := m.itemState(p, i)
		switch is.Status {
		case fold.ItemPassed, fold.ItemSkipped, fold.ItemOverridden:
			continue
		case fold.ItemFailed:
			if !spec.Critical && !is.Critical {
				continue
			}
		}
		return i
	}
	return -1
}

// lockedReason says why phase p cannot be worked on, or "".
func (m Model) lockedReason(p int) string {
	for i := 0; i < p; i++ {
		if m.phaseState(i).Status != fold.PhasePassed {
			return fmt.Sprintf("phase %s is locked until %s passes", m.phaseState(p).ID, m.phaseState(i).ID)
		}
	}
	if m.phaseState(p).Status == fold.PhasePassed {
		return "this phase has passed"
	}
	return ""
}

// actor is who this console acts as.
func (m Model) actor() string {
	if m.opts.Operator != "" {
		return m.opts.Operator
	}
	return m.st.Operator
}
