package session

import (
	"errors"
	"fmt"

	"runway/runbook/event"
)

// DoAs is Do on behalf of a pairing participant. The action's actor (and a
// sign-off's signer) is set to the participant's name whatever the caller
// put there, and the participant's role and who holds control are checked
// on the core, in the same step as the action itself: a refusal is recorded
// as action.refused naming the participant, and returned as a *RefusedError.
// HandControl and TakeControl are taken only here; each is recorded as
// control.handed.
func (s *Session) DoAs(p Participant, a Action) error {
	if a == nil {
		return errors.New("no action")
	}
	if p.Name == "" {
		return fmt.Errorf("%s: no participant named", a.ActionName())
	}
	a, err := withActor(a, p.Name)
	if err != nil {
		return err
	}
	return s.exec(func(t *tx) error {
		if s.closing {
			return ErrClosed
		}
		st := t.st()
		if why := roleReason(st, s.opts.Operator, p, a); why != "" {
			return t.refuse(a, why)
		}
		switch a := a.(type) {
		case HandControl:
			return t.emit(a.Actor, event.KindControlHanded, "", "", event.ControlHandPayload{From: s.controller(st), To: a.To.Name})
		case TakeControl:
			return t.emit(a.Actor, event.KindControlHanded, "", "", event.ControlHandPayload{From: s.controller(st), To: a.Actor})
		}
		t.paired = true
		return s.do(t, a)
	})
}

// withActor returns a with its actor set to name.
func withActor(a Action, name string) (Action, error) {
	switch a := a.(type) {
	case RunItem:
		a.Actor = name
		return a, nil
	case RunPhase:
		a.Actor = name
		return a, nil
	case SignOff:
		a.Actor, a.SignOff.Operator = name, name
		return a, nil
	case Skip:
		a.Actor = name
		return a, nil
	case Retry:
		a.Actor = name
		return a, nil
	case Override:
		a.Actor = name
		return a, nil
	case ApproveOverride:
		a.Actor = name
		return a, nil
	case RejectOverride:
		a.Actor = name
		return a, nil
	case SetRollbackPoint:
		a.Actor = name
		return a, nil
	case Rollback:
		a.Actor = name
		return a, nil
	case Note:
		a.Actor = name
		return a, nil
	case PauseEngine:
		a.Actor = name
		return a, nil
	case ResumeEngine:
		a.Actor = name
		return a, nil
	case SetRate:
		a.Actor = name
		return a, nil
	case OpenIncident:
		a.Actor = name
		return a, nil
	case IncidentStep:
		a.Actor = name
		return a, nil
	case CloseIncident:
		a.Actor = name
		return a, nil
	case AcknowledgeGuard:
		a.Actor = name
		return a, nil
	case HandControl:
		a.Actor = name
		return a, nil
	case TakeControl:
		a.Actor = name
		return a, nil
	}
	return nil, fmt.Errorf("unknown action %T", a)
}
