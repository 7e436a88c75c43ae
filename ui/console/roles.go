package console

import (
	"errors"

	"github.com/charmbracelet/bubbles/key"

	"runway/runbook/session"
)

// errReadOnly is why an observer's console takes no action.
var errReadOnly = errors.New("read-only: this console is watching")

// allowed says whether this console's user may take action a now, as far as
// who they are goes: an observer never, otherwise as Options.Can says. What
// the session's state allows is updateKeys' concern.
func (m Model) allowed(a session.Action) error {
	if m.drv == nil {
		return errReadOnly
	}
	if m.opts.Can != nil {
		return m.opts.Can(m.st, a)
	}
	return nil
}

// roleKeys switches off every binding whose action Options.Can refuses,
// with its reason, after the state's own rules have had their say: an
// approver is left with approve and notes, a driver without control with
// nothing that changes the work.
func (m *Model) roleKeys(set func(*key.Binding, bool, string)) {
	if m.opts.Can == nil {
		return
	}
	k := &m.keys
	for _, ba := range []struct {
		b *key.Binding
		a session.Action
	}{
		{&k.Run, session.RunItem{}},
		{&k.RunPhase, session.RunPhase{}},
		{&k.SignOff, session.SignOff{}},
		{&k.Skip, session.Skip{}},
		{&k.Retry, session.Retry{}},
		{&k.Override, session.Override{}},
		{&k.Approve, session.ApproveOverride{}},
		{&k.Rollback, session.Rollback{}},
		{&k.Pause, session.PauseEngine{}},
		{&k.Faster, session.SetRate{}},
		{&k.Slower, session.SetRate{}},
		{&k.Rate, session.SetRate{}},
		{&k.Note, session.Note{}},
	} {
		if err := m.opts.Can(m.st, ba.a); err != nil {
			set(ba.b, false, err.Error())
		}
	}
}
