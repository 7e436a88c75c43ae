package session

import (
	"fmt"
	"strings"

	"runway/runbook"
	"runway/runbook/event"
	"runway/runbook/fold"
)

// doOverride counts a failed critical item as passed, as the phase's policy
// allows: forbidden refuses; reason needs one; two-person records a request
// that a different person must approve.
func (s *Session) doOverride(t *tx, a Override) error {
	st := t.st()
	pi, ii, ok := findItem(s.rb, "", a.Item)
	if !ok {
		return t.refuse(a, fmt.Sprintf("no item %q", a.Item))
	}
	ph, it := s.rb.Phases[pi], st.Phases[pi].Items[ii]
	if it.Status != fold.ItemFailed || !blocks(it, ph.Items[ii]) {
		return t.refuse(a, fmt.Sprintf("item %s is %s: only a failed critical item is overridden", a.Item, it.Status))
	}
	pol := policy(ph)
	switch {
	case pol == runbook.OverrideForbidden:
		return t.refuse(a, fmt.Sprintf("phase %s forbids overrides", ph.ID))
	case strings.TrimSpace(a.Reason) == "":
		return t.refuse(a, "an override needs a reason")
	case !s.Idle():
		return t.refuse(a, s.busyReason())
	case st.Pending != nil:
		return t.refuse(a, fmt.Sprintf("an override of %s already waits for approval", st.Pending.Item))
	}
	p := event.OverridePayload{Reason: a.Reason, Policy: string(pol), RequestedBy: s.actorName(a.Actor)}
	if pol == runbook.OverrideTwoPerson {
		p.RequestedUID = t.actorWho(a.Actor).uid
		return t.emit(a.Actor, event.KindOverrideRequested, ph.ID, a.Item, p)
	}
	return t.overridden(a.Actor, pi, ii, p)
}

// doApprove approves from this process (its OS user) or, over serve, as
// the pairing participant.
func (s *Session) doApprove(t *tx, a ApproveOverride) error {
	return s.approve(t, a, t.actorWho(a.Actor))
}

// approve records w's approval of the override that waits: never the
// requester's own (by uid where the kernel vouched for both, by name else)
// nor, over the socket, the driving process's own uid (secondPersonReason).
func (s *Session) approve(t *tx, a ApproveOverride, w who) error {
	p := t.st().Pending
	if p == nil || p.Item != a.Item {
		return t.refuse(a, fmt.Sprintf("no override of %q waits for approval", a.Item))
	}
	if why := secondPersonReason(p.OverridePayload, w, s.uid()); why != "" {
		return t.refuse(a, why)
	}
	pi, ii, ok := findItem(s.rb, p.Phase, p.Item)
	if !ok {
		return t.refuse(a, fmt.Sprintf("no item %q", a.Item))
	}
	rec := p.OverridePayload
	rec.ApprovedBy, rec.ApprovedUID = w.name, w.uid
	if err := t.emit(a.Actor, event.KindOverrideApproved, p.Phase, p.Item, rec); err != nil {
		return err
	}
	return t.overridden(a.Actor, pi, ii, rec)
}

func (s *Session) doReject(t *tx, a RejectOverride) error {
	p := t.st().Pending
	if p == nil || p.Item != a.Item {
		return t.refuse(a, fmt.Sprintf("no override of %q waits for approval", a.Item))
	}
	return t.emit(a.Actor, event.KindOverrideRejected, p.Phase, p.Item, p.OverridePayload)
}

// overridden records the override, lifts the stop the item held and lets
// the phase go on.
func (t *tx) overridden(actor string, pi, ii int, p event.OverridePayload) error {
	phase, item := t.s.rb.Phases[pi].ID, t.s.rb.Phases[pi].Items[ii].ID
	if err := t.emit(actor, event.KindItemOverridden, phase, item, p); err != nil {
		return err
	}
	if stop := t.st().Stop; stop != nil && stop.Phase == phase && stop.Item == item {
		if err := t.emit(actor, event.KindStopCleared, phase, item, event.StopPayload{Reason: item + " overridden: " + p.Reason}); err != nil {
			return err
		}
	}
	return t.settle(actor, pi)
}
