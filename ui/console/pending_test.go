package console

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/session"
	"runway/ui/internal/fixture"
)

// TestPendingIsItsOwnState: while a two-person override waits, the header
// and the banner say so with since when and how it gets approved; the stop
// banner no longer offers override or retry; the requester is offered w.
func TestPendingIsItsOwnState(t *testing.T) {
	m := newModel(t, pendingOwn(), 80, 24)
	v := m.View()
	for _, want := range []string{
		"state: ⚑ waiting for an approver",
		"⚑ WAITING FOR AN APPROVER since 09:00 · override of pilot/verify-orders",
		"requested by alice: the 3 rows are test merchants",
		"choices: b roll back · w withdraw request",
		"a second person approves from their own seat",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("no %q in\n%s", want, v)
		}
	}
	if strings.Contains(v, "o override") || strings.Contains(v, "r retry") {
		t.Errorf("override or retry still offered while the request waits:\n%s", v)
	}

	// Another operator (serve) is told a approves; w is not theirs.
	m = newModel(t, pendingOther(), 80, 24)
	if v := m.View(); !strings.Contains(v, "a approve or reject") || strings.Contains(v, "withdraw") {
		t.Errorf("the approver's banner:\n%s", v)
	}

	// Outside serve, and for a watcher, the banner gives the command.
	const hint = "approve from another login: runway approve s-0042 --audit /srv/runway/orders.db"
	w := New(watcher{pendingOther()}, Options{Renderer: asciiRenderer(), Observer: true, Now: func() time.Time { return clock }, ApproveElsewhere: hint})
	w = step(w, tea.WindowSizeMsg{Width: 120, Height: 30})
	if v := w.View(); !strings.Contains(v, "state: ⚑ waiting for an approver (watching, read-only)") || !strings.Contains(v, hint) {
		t.Errorf("the watcher's screen:\n%s", v)
	}
}

// TestWithdraw: the requester withdraws their request after a confirmation
// (n keeps it); someone else's request is not theirs to withdraw.
func TestWithdraw(t *testing.T) {
	f := pendingOwn()
	m := newModel(t, f, 80, 24)
	m, _ = press(t, m, "w")
	if v := m.View(); !strings.Contains(v, "Withdraw your override request?") || !strings.Contains(v, "n keep waiting") {
		t.Fatalf("w does not ask first:\n%s", v)
	}
	m, _ = press(t, m, "n")
	if m.dialog != nil || len(f.actions) != 0 {
		t.Fatalf("n did not keep the request: dialog %v, actions %v", m.dialog, f.actions)
	}
	m, _ = press(t, m, "w")
	if _, msg := press(t, m, "y"); msg == nil || f.last() != (session.RejectOverride{Item: "verify-orders", Actor: "alice"}) {
		t.Fatalf("w y sent %v", f.last())
	}

	g := pendingOther()
	m = newModel(t, g, 80, 24)
	m, _ = press(t, m, "w")
	if v := m.View(); m.dialog != nil || len(g.actions) != 0 || !strings.Contains(v, "✗ w: only the person who asked for the override withdraws the request") {
		t.Errorf("w on someone else's request: actions %v\n%s", g.actions, v)
	}
}

// twoPersonSession starts a session of the two-person runbook as alice and runs
// its phase to the stop.
func twoPersonSession(t *testing.T) (*session.Session, *audit.Log) {
	t.Helper()
	dir := t.TempDir()
	rb := fixture.Runbook(t, filepath.Join(dir, "rb.yaml"), fixture.TwoPersonOverride)
	path := filepath.Join(dir, "runway.db")
	log, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := session.Start(context.Background(), log, rb, session.Options{Operator: "alice"})
	if err != nil {
		log.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sess.Close(context.Background())
		log.Close()
	})
	if err := sess.Do(session.RunPhase{Phase: "one", Actor: "alice"}); err != nil {
		t.Fatal(err)
	}
	return sess, log
}

// TestFlowTwoPerson drives the console on a real session: alice asks for a
// two-person override, the screen says it waits and how to approve; then
// either bob approves from his own login (session.ApproveFrom, as `runway
// approve` does) and the phase goes on, or alice withdraws it with w y.
func TestFlowTwoPerson(t *testing.T) {
	for _, way := range []string{"approved", "withdrawn"} {
		t.Run(way, func(t *testing.T) {
			sess, log := twoPersonSession(t)
			path := log.Path()
			const hint = "approve from another login: runway approve s1 --audit runway.db"
			m := New(sess, Options{Renderer: asciiRenderer(), Operator: "alice", AuditPath: path, ApproveElsewhere: hint})
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))
			t.Cleanup(func() { _ = tm.Quit() })
			wait := waitShown(t, tm.Output())
			wait("STOPPED · one/b", "o override")
			tm.Type("o")
			wait("Override a failed critical item")
			tm.Type("vendor confirmed")
			tm.Send(keyMsg("enter"))
			wait("Override one/b with the reason")
			tm.Send(keyMsg("tab")) // Yes, ask for the override
			tm.Send(keyMsg("enter"))
			wait("state: ⚑ waiting for an approver", "WAITING FOR AN APPROVER since", hint, "w withdraw request",
				"override request for b recorded: it waits for a second person's approval")
			var want string
			if way == "approved" {
				rec, err := sess.ApproveFrom(session.Peer{UID: os.Getuid() + 1, Login: "bob"}, "")
				if err != nil || rec.Item != "b" {
					t.Fatalf("ApproveFrom: %v, %+v", err, rec)
				}
				want = event.KindOverrideApproved
				wait("overridden")
			} else {
				tm.Type("w")
				wait("Withdraw your override request?")
				tm.Type("y")
				wait("withdrawal of the override request for b recorded", "o override")
				want = event.KindOverrideRejected
			}
			tm.Type("q")
			if way == "withdrawn" { // the stop holds again: quitting asks
				wait("Quit while")
				tm.Send(keyMsg("tab"))
				tm.Send(keyMsg("enter"))
			}
			tm.WaitFinished(t, teatest.WithFinalTimeout(20*time.Second))
			if st := sess.State(); st.Pending != nil {
				t.Errorf("still pending: %+v", st.Pending)
			}
			actor := lastOfKind(t, log, sess.ID(), want)
			if (way == "approved" && actor != "bob") || (way == "withdrawn" && actor != "alice") {
				t.Errorf("%s by %q", want, actor)
			}
		})
	}
}

// lastOfKind is the actor of the last event of kind in the audit log, "" when none.
func lastOfKind(t *testing.T, log *audit.Log, id, kind string) string {
	t.Helper()
	events, err := log.Events(context.Background(), id, 0)
	if err != nil {
		t.Fatal(err)
	}
	actor := ""
	for _, e := range events {
		if e.Kind == kind {
			actor = e.Actor
		}
	}
	return actor
}
