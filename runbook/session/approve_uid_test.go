package session

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"runway/runbook/event"
	"runway/runbook/fold"
)

// An approval outside serve rests on the OS user of the approving process:
// the process that asked for a two-person override can't approve it under
// another --operator label.
func TestLabelIsNoSecondPerson(t *testing.T) {
	f := newFixture(t, policyRunbook("two-person"))
	f.do(RunPhase{Phase: "one"})
	f.do(Override{Item: "b", Reason: "vendor confirmed"})
	f.refused(ApproveOverride{Item: "b", Actor: "abe"}, "a second person must approve it from their own login")
	if f.has("override.approved b") || f.item("b").Status != fold.ItemFailed {
		t.Fatalf("approved under a label: %v", f.kinds())
	}
}

// ApproveFrom takes the uid the kernel vouched for: the requester's own is
// refused and recorded as a refusal, another user's is recorded with their
// login and uid, and the request carries the requester's uid.
func TestApproveFromAnotherUID(t *testing.T) {
	f := newFixture(t, policyRunbook("two-person"))
	f.do(RunPhase{Phase: "one"})
	f.do(Override{Item: "b", Reason: "vendor confirmed"})
	me := os.Getuid()

	_, err := f.sess.ApproveFrom(Peer{UID: me, Login: "lea"}, "")
	var refused *RefusedError
	if !errors.As(err, &refused) || !strings.Contains(refused.Reason, "requested this override: a second person must approve it from their own login") {
		t.Fatalf("own approval: %v", err)
	}
	if f.has("override.approved b") || !f.has("action.refused") {
		t.Fatalf("after the requester's own approval: %v", f.kinds())
	}
	if _, err := f.sess.ApproveFrom(Peer{UID: me + 1, Login: "abe"}, "zz"); !errors.Is(err, ErrNothingPending) {
		t.Fatalf("approval of another item: %v", err)
	}

	rec, err := f.sess.ApproveFrom(Peer{UID: me + 1, Login: "abe"}, "")
	if err != nil || rec.Item != "b" {
		t.Fatalf("approval by another uid: %+v, %v", rec, err)
	}
	f.idle()
	if f.item("b").Status != fold.ItemOverridden || f.state().Stop != nil {
		t.Fatalf("b %s, stop %+v", f.item("b").Status, f.state().Stop)
	}
	var requested, approved event.OverridePayload
	for _, e := range f.events() {
		switch e.Kind {
		case event.KindOverrideRequested:
			_ = json.Unmarshal(e.Payload, &requested)
		case event.KindOverrideApproved:
			if e.Actor != "abe" {
				t.Fatalf("override.approved by %q", e.Actor)
			}
			_ = json.Unmarshal(e.Payload, &approved)
		}
	}
	if requested.RequestedUID == nil || *requested.RequestedUID != me {
		t.Fatalf("override.requested carries no uid %d: %+v", me, requested)
	}
	if approved.ApprovedBy != "abe" || approved.ApprovedUID == nil || *approved.ApprovedUID != me+1 {
		t.Fatalf("override.approved %+v", approved)
	}
	if _, err := f.sess.ApproveFrom(Peer{UID: me + 1, Login: "abe"}, ""); !errors.Is(err, ErrNothingPending) {
		t.Fatalf("second approval: %v", err)
	}
}

// The requester may withdraw their own request from the socket.
func TestRejectFromRequester(t *testing.T) {
	f := newFixture(t, policyRunbook("two-person"))
	f.do(RunPhase{Phase: "one"})
	f.do(Override{Item: "b", Reason: "vendor confirmed"})
	if _, err := f.sess.RejectFrom(Peer{UID: os.Getuid(), Login: "lea"}, "b"); err != nil {
		t.Fatal(err)
	}
	if st := f.state(); st.Pending != nil || f.item("b").Status != fold.ItemFailed || !f.has("override.rejected b") {
		t.Fatalf("pending %+v, b %s: %v", st.Pending, f.item("b").Status, f.kinds())
	}
}

// The reviewer's case: an override asked over serve records no uid; serve
// stops and its operator resumes the session from their own login. Neither
// an approval over the socket from that login nor one from the console is
// taken: nothing tells the driver's uid from the requester's. Another
// login's approval over the socket is.
func TestServeRequestNotApprovedByTheDriversUID(t *testing.T) {
	f := newFixture(t, policyRunbook("two-person"))
	f.as(alice, RunPhase{Phase: "one"})
	f.as(alice, Override{Item: "b", Reason: "vendor confirmed"})
	if err := f.sess.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	s, err := Resume(context.Background(), f.log, f.sess.ID(), Options{Operator: "bob", Host: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	if p := s.State().Pending; p == nil || p.RequestedUID != nil {
		t.Fatalf("pending after resume: %+v", p)
	}
	me := os.Getuid()
	_, err = s.ApproveFrom(Peer{UID: me, Login: "root"}, "")
	var refused *RefusedError
	if !errors.As(err, &refused) || !strings.Contains(refused.Reason, "drives this session: a second person must approve it from another login than the driver's") {
		t.Fatalf("approval over the socket from the driver's uid: %v", err)
	}
	err = s.Do(ApproveOverride{Item: "b", Actor: "bob"})
	if !errors.As(err, &refused) || !strings.Contains(refused.Reason, "alice requested this override over serve, where no login is known") {
		t.Fatalf("approval from the driver's console: %v", err)
	}
	waitIdle(t, s)
	if s.State().Pending == nil {
		t.Fatal("the override no longer waits after two refusals")
	}
	if _, err := s.ApproveFrom(Peer{UID: me + 1, Login: "abe"}, ""); err != nil {
		t.Fatalf("approval from another login: %v", err)
	}
}

// A request recorded with one uid, in a session now driven by another
// (its operator resumed it): the driver's uid is refused over the socket.
func TestDriversUIDRefusedOverSocket(t *testing.T) {
	f := newFixture(t, policyRunbook("two-person"))
	real := os.Getuid()
	f.sess.uid = func() int { return real + 7 } // another login started it
	f.do(RunPhase{Phase: "one"})
	f.do(Override{Item: "b", Reason: "vendor confirmed"})
	f.sess.uid = func() int { return real } // this login drives it now
	_, err := f.sess.ApproveFrom(Peer{UID: real, Login: "root"}, "")
	var refused *RefusedError
	if !errors.As(err, &refused) || !strings.Contains(refused.Reason, "run the process that drives this session") {
		t.Fatalf("approval over the socket from the driver's uid: %v", err)
	}
	if f.has("override.approved b") {
		t.Fatalf("approved: %v", f.kinds())
	}
}
