package console

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"

	"runway/runbook"
	"runway/runbook/fold"
)

// itemScope is what the bindings on the selected item are decided from.
type itemScope struct {
	sel     selection
	blocked string // why nothing may start in this phase now, or ""
	locked  string // why this phase cannot be worked on, or ""
	busy    bool   // something runs: a command, an engine or a rollback
	set     func(*key.Binding, bool, string)
}

// itemKeys switches the bindings that act on the selected item, one family
// of bindings at a time.
func (m *Model) itemKeys(c itemScope) {
	next := m.nextItem(m.phase) == m.item
	m.runBinding(c, next)
	m.signOffBinding(c, next)
	m.skipBinding(c)
	m.retryBinding(c, next)
	m.overrideBinding(c)
	m.engineBindings(c)
}

// runBinding: the item runs when it is the phase's next and nothing blocks it.
func (m *Model) runBinding(c itemScope, next bool) {
	k := &m.keys
	st := c.sel.is.Status
	switch {
	case st == fold.ItemAwaiting:
		c.set(&k.Run, false, "it waits for a sign-off: press s")
	case st.Settled() || st == fold.ItemRunning:
		c.set(&k.Run, false, "it is "+string(st))
	case st == fold.ItemFailed || st == fold.ItemInterrupted:
		c.set(&k.Run, false, "it is "+string(st)+": press r to retry")
	case c.blocked != "":
		c.set(&k.Run, false, c.blocked)
	default:
		first := ""
		if n := m.nextItem(m.phase); n >= 0 {
			first = c.sel.phase.Items[n].ID
		}
		c.set(&k.Run, next, "items run in order: "+first+" comes first")
	}
}

// signOffBinding: a manual item that waits is signed off, or the next one is
// started and signed.
func (m *Model) signOffBinding(c itemScope, next bool) {
	k := &m.keys
	st := c.sel.is.Status
	switch {
	case c.sel.item.Manual == nil:
		c.set(&k.SignOff, false, "only manual items are signed off")
	case st == fold.ItemPending && next && c.blocked == "":
		c.set(&k.SignOff, true, "") // signing starts the item first (signOffNow)
	default:
		c.set(&k.SignOff, st == fold.ItemAwaiting, "it is "+string(st))
	}
}

// skipBinding: a non-critical item not yet settled may be skipped.
func (m *Model) skipBinding(c itemScope) {
	k := &m.keys
	st := c.sel.is.Status
	switch {
	case c.sel.item.Critical:
		c.set(&k.Skip, false, "a critical item cannot be skipped, only overridden after it fails")
	case st.Settled() || st == fold.ItemRunning:
		c.set(&k.Skip, false, "it is "+string(st))
	default:
		c.set(&k.Skip, c.locked == "", c.locked)
	}
}

// retryBinding: a failed or interrupted item is retried unless another stop,
// an override or a running command stands in the way.
func (m *Model) retryBinding(c itemScope, next bool) {
	k := &m.keys
	it, st := c.sel.item, c.sel.is.Status
	switch stop := m.st.Stop; {
	case st != fold.ItemFailed && st != fold.ItemInterrupted:
		c.set(&k.Retry, false, "only a failed or interrupted item is retried")
	case stop != nil && (stop.Item != it.ID || stop.Phase != c.sel.phase.ID):
		c.set(&k.Retry, false, "a stop rule holds on "+stop.Phase+"/"+stop.Item)
	case m.st.Pending != nil:
		c.set(&k.Retry, false, "an override of "+m.st.Pending.Item+" waits for approval")
	case c.busy:
		c.set(&k.Retry, false, "something is already running; wait for it to finish")
	case st == fold.ItemInterrupted && !next:
		c.set(&k.Retry, false, "items run in order")
	default:
		c.set(&k.Retry, c.locked == "", c.locked)
	}
}

// overrideBinding: a failed critical item is overridden, as its phase
// allows; while a guard's stop holds, o acknowledges it instead, and the
// footer says so.
func (m *Model) overrideBinding(c itemScope) {
	k := &m.keys
	if m.guardStop() {
		k.Override.SetHelp("o", "acknowledge")
	} else {
		k.Override.SetHelp("o", "override")
	}
	it, is := c.sel.item, c.sel.is
	policy := c.sel.phase.Overrides
	if policy == "" {
		policy = runbook.OverrideReason
	}
	switch p := m.st.Pending; {
	case m.guardStop(): // guards.go: o acknowledges a guard's breach
		c.set(&k.Override, true, "")
	case is.Status != fold.ItemFailed || !(it.Critical || is.Critical):
		c.set(&k.Override, false, "only a failed critical item is overridden")
	case policy == runbook.OverrideForbidden:
		c.set(&k.Override, false, fmt.Sprintf("phase %s forbids overrides", c.sel.phase.ID))
	case p != nil:
		c.set(&k.Override, false, "an override of "+p.Item+" already waits for approval")
	case c.busy:
		c.set(&k.Override, false, "something is already running; wait for it to finish")
	default:
		c.set(&k.Override, true, "")
	}
}

// engineBindings: pause and rate act on a running engine only.
func (m *Model) engineBindings(c itemScope) {
	k := &m.keys
	engineRunning := c.sel.item.IsEngine() && c.sel.is.Status == fold.ItemRunning
	if c.sel.is.Engine != nil && c.sel.is.Engine.Paused {
		k.Pause.SetHelp("p", "resume")
	} else {
		k.Pause.SetHelp("p", "pause")
	}
	c.set(&k.Pause, engineRunning, "only a running engine is paused")
	c.set(&k.Slower, engineRunning, "only a running engine's rate is changed")
	c.set(&k.Rate, engineRunning, "only a running engine's rate is changed")
	switch {
	case !engineRunning:
		c.set(&k.Faster, false, "only a running engine's rate is changed")
	case engineRate(c.sel) == 0:
		c.set(&k.Faster, false, "the engine runs without a rate limit")
	default:
		c.set(&k.Faster, true, "")
	}
}
