package session

import (
	"encoding/json"
	"fmt"
	"sync/atomic"
	"time"

	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/fold"
)

// tx is the core's handle while it runs a request: it reads the live state
// and appends events, each durable before it is applied.
type tx struct {
	s *Session
	// paired: the action comes from a pairing participant (DoAs), known by
	// their SSH key, not by this process's OS user.
	paired bool
}

// st is the live state. Only the core holds a tx, and only the core writes
// the state, so reading it here needs no lock.
func (t *tx) st() *fold.State { return &t.s.st }

// emit appends one event and applies it. Any append failure is fatal: the
// session stops and the error is returned to every caller from then on.
func (t *tx) emit(actor, kind, phase, item string, payload any) error {
	e, err := t.s.event(actor, kind, phase, item, payload)
	if err != nil {
		return err
	}
	out, err := t.s.rec.Append(e)
	if err != nil {
		t.s.fail(err)
		return err
	}
	t.s.apply(out)
	return nil
}

// emitBatch appends events in one transaction and applies them.
func (t *tx) emitBatch(events []audit.Event) error {
	if len(events) == 0 {
		return nil
	}
	out, err := t.s.rec.AppendBatch(events)
	if err != nil {
		t.s.fail(err)
		return err
	}
	for _, e := range out {
		t.s.apply(e)
	}
	return nil
}

// event builds an event of this session; actor "" is the operator.
func (s *Session) event(actor, kind, phase, item string, payload any) (audit.Event, error) {
	if actor == "" {
		actor = s.opts.Operator
	}
	e := audit.Event{Session: s.id, Actor: actor, Kind: kind, Phase: phase, Item: item}
	if payload != nil {
		raw, err := json.Marshal(payload)
		if err != nil {
			return e, fmt.Errorf("encode %s event: %w", kind, err)
		}
		e.Payload = raw
	}
	return e, nil
}

// apply folds e into the state; the core holds s.mu for the whole request,
// so readers see it once the request that recorded it is over.
func (s *Session) apply(e audit.Event) {
	s.st.Apply(e)
	s.notes.observe(e)
	if hook := afterApply.Load(); hook != nil {
		(*hook)(s)
	}
}

// afterApply, when a test sets it, runs on the core after each event is folded.
var afterApply atomic.Pointer[func(*Session)]

// refuse records a refused action and returns the refusal as an error.
func (t *tx) refuse(a Action, reason string) error {
	if err := t.emit(a.actor(), event.KindActionRefused, "", "", event.RefusedPayload{Action: a.ActionName(), Reason: reason}); err != nil {
		return err
	}
	return &RefusedError{Action: a.ActionName(), Reason: reason}
}

// setStatus records the session's status with the session; a failure to
// write it is an audit failure like any other.
func (t *tx) setStatus(status string, ended time.Time) error {
	if err := t.s.log.SetSessionStatus(t.s.id, status, ended); err != nil {
		t.s.fail(err)
		return err
	}
	return nil
}
