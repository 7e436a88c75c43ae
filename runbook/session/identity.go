package session

import (
	"errors"
	"fmt"
	"os/user"
	"strconv"

	"runway/runbook/event"
	"runway/runbook/fold"
)

// Two-person approval rests on who the kernel says acts, not on a name
// typed on the command line: outside serve, the OS user (uid) of the
// process; inside serve, the participant's SSH key. --operator is a label.

// Peer is a local user the kernel vouches for, such as the process at the
// other end of a Unix socket: its uid, and its login name for the record.
type Peer struct {
	UID   int
	Login string
}

// LocalPeer is the local user with this uid, with their login name looked
// up ("uid N" when the system knows none).
func LocalPeer(uid int) Peer { return Peer{UID: uid, Login: loginName(uid)} }

func (p Peer) String() string { return fmt.Sprintf("uid %d, %s", p.UID, p.Login) }

// ErrNothingPending is ApproveFrom's and RejectFrom's answer when no
// two-person override waits for a decision.
var ErrNothingPending = errors.New("no override waits for approval")

// loginName is the login of uid, or "uid N".
func loginName(uid int) string {
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil && u.Username != "" {
		return u.Username
	}
	return "uid " + strconv.Itoa(uid)
}

// who acts in a two-person decision: the name on the record, the uid the
// kernel vouched for (nil for a pairing participant, known by SSH key), and
// whether the decision came over the approval socket from another process.
type who struct {
	name   string
	uid    *int
	socket bool
}

// actorWho is who takes an action on t: a pairing participant by name, or
// this process's OS user under the actor's label.
func (t *tx) actorWho(actor string) who {
	w := who{name: t.s.actorName(actor)}
	if !t.paired {
		uid := t.s.uid()
		w.uid = &uid
	}
	return w
}

// secondPersonReason says why w may not approve p, or "". Two uids are
// compared when both are known: the kernel vouched for each. The driving
// process's own uid is the seat the request came from (in local mode) or
// the seat of whoever drives it now (a serve operator who resumed): it
// never approves over the socket, and never a request that carries no uid,
// since nothing then tells it from the requester. Otherwise (an override
// asked and approved over serve) the names are compared, as SSH keys map
// to names. driver is the driving process's uid.
func secondPersonReason(p event.OverridePayload, w who, driver int) string {
	if w.uid == nil {
		if w.name == p.RequestedBy {
			return fmt.Sprintf("%s requested this override; a second person must approve it", w.name)
		}
		return ""
	}
	me := *w.uid
	switch {
	case p.RequestedUID != nil && *p.RequestedUID == me:
		return fmt.Sprintf("you (uid %d, %s) requested this override: a second person must approve it from their own login",
			me, loginName(me))
	case me == driver && w.socket:
		return fmt.Sprintf("you (uid %d, %s) run the process that drives this session: a second person must approve it from another login than the driver's",
			me, loginName(me))
	case p.RequestedUID == nil && me == driver:
		return fmt.Sprintf("%s requested this override over serve, where no login is known: a second person must approve it over serve, or with runway approve from another login than the driver's (uid %d, %s)",
			p.RequestedBy, me, loginName(me))
	}
	return ""
}

// ApproveFrom approves the two-person override that waits (item "" means
// whichever it is) on behalf of peer, a local user the caller had the
// kernel vouch for. It is recorded exactly as an approval from the console
// or over serve is, as override.approved by peer's login with their uid,
// and refused (a *RefusedError, recorded) when peer is who asked for it or
// runs the driving process itself.
// It returns the override decided on, or ErrNothingPending.
func (s *Session) ApproveFrom(peer Peer, item string) (fold.OverrideRecord, error) {
	return s.decideFrom(peer, item, true)
}

// RejectFrom turns down the override that waits, on behalf of peer; the
// requester may withdraw their own request this way.
func (s *Session) RejectFrom(peer Peer, item string) (fold.OverrideRecord, error) {
	return s.decideFrom(peer, item, false)
}

func (s *Session) decideFrom(peer Peer, item string, approve bool) (fold.OverrideRecord, error) {
	var rec fold.OverrideRecord
	err := s.exec(func(t *tx) error {
		if s.closing {
			return ErrClosed
		}
		p := t.st().Pending
		if p == nil || (item != "" && p.Item != item) {
			return ErrNothingPending
		}
		rec = *p
		if !approve {
			return s.doReject(t, RejectOverride{Actor: peer.Login, Item: p.Item})
		}
		uid := peer.UID
		return s.approve(t, ApproveOverride{Actor: peer.Login, Item: p.Item}, who{name: peer.Login, uid: &uid, socket: true})
	})
	return rec, err
}
