package session

import (
	"context"
	"fmt"
	"strings"
	"time"

	"runway/checks"
	"runway/runbook/event"
	"runway/runbook/fold"
)

// Do asks the session to act. It returns once the action is accepted and its
// first events are durable (an item or phase then runs on in the background;
// watch State through Subscribe), or with a *RefusedError naming the reason,
// which is recorded too. After an audit log failure it returns that failure.
func (s *Session) Do(a Action) error {
	if a == nil {
		return fmt.Errorf("no action")
	}
	return s.exec(func(t *tx) error {
		if s.closing {
			return ErrClosed
		}
		return s.do(t, a)
	})
}

// do validates and starts an action; it runs on the core.
func (s *Session) do(t *tx, a Action) error {
	switch a := a.(type) {
	case RunItem:
		return s.doRunItem(t, a)
	case RunPhase:
		return s.doRunPhase(t, a)
	case SignOff:
		return s.doSignOff(t, a)
	case Skip:
		return s.doSkip(t, a)
	case Retry:
		return s.doRetry(t, a, a.Item, "")
	case Override:
		return s.doOverride(t, a)
	case ApproveOverride:
		return s.doApprove(t, a)
	case RejectOverride:
		return s.doReject(t, a)
	case SetRollbackPoint:
		return s.doSetPoint(t, a)
	case Rollback:
		return s.doRollback(t, a)
	case Note:
		if strings.TrimSpace(a.Text) == "" {
			return t.refuse(a, "a note needs text")
		}
		return t.emit(a.Actor, event.KindNote, "", "", event.NotePayload{Text: a.Text})
	case PauseEngine, ResumeEngine, SetRate:
		return s.doEngineControl(t, a)
	case OpenIncident, IncidentStep, CloseIncident:
		return s.doIncident(t, a)
	case AcknowledgeGuard:
		return s.doAcknowledgeGuard(t, a) // guard_stop.go
	}
	return fmt.Errorf("unknown action %T", a)
}

// busyReason says why nothing new may start, or "".
func (s *Session) busyReason() string {
	if !s.Idle() {
		return "something is already running; wait for it to finish"
	}
	return ""
}

func stopReason(st *fold.State) string {
	if st.Stop == nil {
		return ""
	}
	return fmt.Sprintf("a stop rule holds (%s): %s first", st.Stop.Reason, strings.Join(st.Stop.Choices, ", "))
}

func (s *Session) doRunPhase(t *tx, a RunPhase) error {
	st := t.st()
	pi := findPhase(s.rb, a.Phase)
	if pi < 0 {
		return t.refuse(a, fmt.Sprintf("no phase %q", a.Phase))
	}
	if why := firstOf(s.busyReason(), stopReason(st), lockedReason(st, pi)); why != "" {
		return t.refuse(a, why)
	}
	if err := t.enter(a.Actor, pi); err != nil {
		return err
	}
	return s.startPhase(t, a.Actor, pi)
}

func (s *Session) doRunItem(t *tx, a RunItem) error {
	st := t.st()
	pi, ii, ok := findItem(s.rb, a.Phase, a.Item)
	if !ok {
		return t.refuse(a, fmt.Sprintf("no item %q", a.Item))
	}
	switch st.Phases[pi].Items[ii].Status {
	case fold.ItemFailed, fold.ItemInterrupted:
		return s.doRetry(t, a, a.Item, a.Phase)
	case fold.ItemPassed, fold.ItemSkipped, fold.ItemOverridden:
		return t.refuse(a, fmt.Sprintf("item %s already %s", a.Item, st.Phases[pi].Items[ii].Status))
	case fold.ItemAwaiting:
		return t.refuse(a, fmt.Sprintf("item %s is waiting for its sign-off", a.Item))
	}
	if why := firstOf(s.busyReason(), stopReason(st), lockedReason(st, pi)); why != "" {
		return t.refuse(a, why)
	}
	if why := s.orderReason(st, pi, ii); why != "" {
		return t.refuse(a, why)
	}
	return s.launch(t, a.Actor, pi, ii)
}

// orderReason says why item ii can't run now because items run in order, or "".
func (s *Session) orderReason(st *fold.State, pi, ii int) string {
	next := nextItem(st, s.rb, pi)
	switch {
	case next == ii:
		return ""
	case next < 0:
		return fmt.Sprintf("nothing holds phase %s back", s.rb.Phases[pi].ID)
	}
	return fmt.Sprintf("items run in order: %s comes first", s.rb.Phases[pi].Items[next].ID)
}

// launch starts item ii of phase pi: a manual item starts waiting for its
// sign-off, anything else runs in a runner with its retries.
func (s *Session) launch(t *tx, actor string, pi, ii int) error {
	if err := t.enter(actor, pi); err != nil {
		return err
	}
	item := s.rb.Phases[pi].Items[ii]
	if item.Manual != nil {
		return t.emit(actor, event.KindItemAwaiting, s.rb.Phases[pi].ID, item.ID, nil)
	}
	first := t.st().Phases[pi].Items[ii].Attempt + 1
	if err := t.emit(actor, event.KindItemStarted, s.rb.Phases[pi].ID, item.ID, event.StartedPayload{Kind: item.Kind(), Attempt: first}); err != nil {
		return err
	}
	s.startRunner(func(ctx context.Context, c *hold) { s.runItem(ctx, actor, pi, ii, first, c.releasing) })
	return nil
}

func (s *Session) doRetry(t *tx, a Action, id, phase string) error {
	st := t.st()
	pi, ii, ok := findItem(s.rb, phase, id)
	if !ok {
		return t.refuse(a, fmt.Sprintf("no item %q", id))
	}
	it := st.Phases[pi].Items[ii]
	if it.Status != fold.ItemFailed && it.Status != fold.ItemInterrupted {
		return t.refuse(a, fmt.Sprintf("item %s is %s: only a failed or interrupted item is retried", id, it.Status))
	}
	if stop := st.Stop; stop != nil && (stop.Item != id || stop.Phase != s.rb.Phases[pi].ID) {
		return t.refuse(a, stopReason(st))
	}
	if st.Pending != nil {
		return t.refuse(a, fmt.Sprintf("an override of %s waits for approval", st.Pending.Item))
	}
	if why := firstOf(s.busyReason(), lockedReason(st, pi)); why != "" {
		return t.refuse(a, why)
	}
	// Items run in order: an interrupted item is retried only when it is next.
	if it.Status == fold.ItemInterrupted {
		if why := s.orderReason(st, pi, ii); why != "" {
			return t.refuse(a, why)
		}
	}
	// Retrying is the lead's answer to the stop, as an override or a
	// rollback is: the stop is lifted and the phase runs again; a failed
	// retry triggers it anew.
	if stop := st.Stop; stop != nil {
		if err := t.emit(a.actor(), event.KindStopCleared, stop.Phase, stop.Item, event.StopPayload{Reason: id + " retried"}); err != nil {
			return err
		}
	}
	return s.launch(t, a.actor(), pi, ii)
}

func (s *Session) doSignOff(t *tx, a SignOff) error {
	st := t.st()
	so := a.SignOff
	if so.Operator == "" {
		so.Operator = s.actorName(a.Actor)
	}
	if so.At.IsZero() {
		so.At = time.Now().UTC()
	}
	if w := s.stepWait; w != nil && w.item.ID == a.Item {
		return s.signOffStep(t, a, so, w)
	}
	pi, ii, ok := findItem(s.rb, "", a.Item)
	if !ok {
		return t.refuse(a, fmt.Sprintf("no item %q", a.Item))
	}
	item := s.rb.Phases[pi].Items[ii]
	if item.Manual == nil {
		return t.refuse(a, fmt.Sprintf("item %s is a %s item, not a manual sign-off", item.ID, item.Kind()))
	}
	if status := st.Phases[pi].Items[ii].Status; status != fold.ItemAwaiting {
		return t.refuse(a, fmt.Sprintf("item %s is %s, not waiting for a sign-off", item.ID, status))
	}
	if err := checks.ValidateSignOff(item, so); err != nil {
		return t.refuse(a, err.Error())
	}
	if err := s.signOffItem(t, a, so, pi, ii); err != nil {
		return err
	}
	return s.continuePhase(t, a.Actor, item.ID)
}

// signOffItem records a manual item's verdict and what it means for its phase.
func (s *Session) signOffItem(t *tx, a SignOff, so checks.SignOff, pi, ii int) error {
	phase, item := s.rb.Phases[pi].ID, s.rb.Phases[pi].Items[ii].ID
	if so.Verdict == checks.Skip {
		if err := t.emit(a.Actor, event.KindItemSkipped, phase, item, event.SkipPayload{Reason: so.Reason}); err != nil {
			return err
		}
		return t.settle(a.Actor, pi)
	}
	p := event.ResultPayload{
		Attempt: t.st().Phases[pi].Items[ii].Attempt,
		Summary: so.Summary(),
		SignOff: &event.SignOffPayload{Operator: so.Operator, Role: so.Role, Observation: so.Observation, At: so.At.UTC()},
	}
	if so.Verdict == checks.Pass {
		return t.passed(a.Actor, pi, ii, p)
	}
	return t.failed(a.Actor, pi, ii, p)
}

func (s *Session) doSkip(t *tx, a Skip) error {
	st := t.st()
	pi, ii, ok := findItem(s.rb, "", a.Item)
	if !ok {
		return t.refuse(a, fmt.Sprintf("no item %q", a.Item))
	}
	item := s.rb.Phases[pi].Items[ii]
	if item.Critical {
		return t.refuse(a, fmt.Sprintf("critical item %s can't be skipped, only overridden after it fails", item.ID))
	}
	if strings.TrimSpace(a.Reason) == "" {
		return t.refuse(a, "a skip needs a reason")
	}
	switch status := st.Phases[pi].Items[ii].Status; status {
	case fold.ItemRunning, fold.ItemPassed, fold.ItemSkipped, fold.ItemOverridden:
		return t.refuse(a, fmt.Sprintf("item %s is %s", item.ID, status))
	}
	if why := lockedReason(st, pi); why != "" {
		return t.refuse(a, why)
	}
	if err := t.emit(a.Actor, event.KindItemSkipped, s.rb.Phases[pi].ID, item.ID, event.SkipPayload{Reason: a.Reason}); err != nil {
		return err
	}
	if err := t.settle(a.Actor, pi); err != nil {
		return err
	}
	return s.continuePhase(t, a.Actor, item.ID)
}

// actorName is who an actor is: "" is the operator.
func (s *Session) actorName(actor string) string {
	if actor == "" {
		return s.opts.Operator
	}
	return actor
}

func firstOf(reasons ...string) string {
	for _, r := range reasons {
		if r != "" {
			return r
		}
	}
	return ""
}
