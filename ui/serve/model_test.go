package serve

import (
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"runway/runbook/fold"
	"runway/runbook/session"
	"runway/ui/console"
)

var (
	pAlice = session.Participant{Name: "alice", Role: session.RoleLead}
	pBob   = session.Participant{Name: "bob", Role: session.RoleDriver}
	pCarol = session.Participant{Name: "carol", Role: session.RoleApprover}
	pOlive = session.Participant{Name: "olive", Role: session.RoleObserver}
)

// modelFor is a participant's program at 80×24 without colour, in a room
// where the given participants are connected.
func modelFor(t *testing.T, r *rig, me session.Participant, here ...session.Participant) model {
	t.Helper()
	rm := newRoom()
	for _, p := range here {
		rm.join(p, "test", &meter{w: io.Discard})
	}
	m := newModel(r.sess, me, rm, console.Options{Renderer: lipgloss.NewRenderer(io.Discard)})
	t.Cleanup(m.release)
	return update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
}

func update(t *testing.T, m model, msg tea.Msg) model {
	t.Helper()
	next, _ := m.Update(msg)
	return next.(model)
}

// press types one key and runs the pairing command it returns, if any, to
// its outcome.
func press(t *testing.T, m model, k tea.KeyMsg) (model, bool) {
	t.Helper()
	next, cmd, ok := m.key(k)
	if !ok {
		return update(t, m, k), false
	}
	if cmd != nil {
		next = update(t, next, cmd())
	}
	return next, true
}

func keyOf(s string) tea.KeyMsg {
	switch s {
	case "ctrl+g":
		return tea.KeyMsg{Type: tea.KeyCtrlG}
	case "ctrl+t":
		return tea.KeyMsg{Type: tea.KeyCtrlT}
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// statusRow is the screen's status row, the one the pairing line uses.
func statusRow(m model) string {
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	return strings.TrimRight(lines[len(lines)-2], " ")
}

func TestPairLine(t *testing.T) {
	r := newRig(t)
	all := []session.Participant{pAlice, pBob, pOlive}
	tests := []struct {
		me   session.Participant
		want string
	}{
		{pAlice, "⇄ alice (lead) · control: you · ctrl+g hand over · here: alice, bob, olive"},
		{pBob, "⇄ bob (driver) · control: alice · ask for it · here: alice, bob, olive"},
		{pCarol, "⇄ carol (approver) · control: alice · here: alice, bob, olive"},
		{pOlive, "⇄ olive (observer) · control: alice · read-only · here: alice, bob, olive"},
	}
	for _, tt := range tests {
		if got := statusRow(modelFor(t, r, tt.me, all...)); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.me.Name, got, tt.want)
		}
	}
	// With bob in control, the lead is offered to take it back.
	if err := r.sess.DoAs(pAlice, session.HandControl{To: pBob}); err != nil {
		t.Fatal(err)
	}
	if got := statusRow(modelFor(t, r, pAlice, all...)); !strings.HasSuffix(got, "control: bob · ctrl+t take control · here: alice, bob, olive") {
		t.Errorf("alice without control: %q", got)
	}
	if got := statusRow(modelFor(t, r, pBob, all...)); !strings.HasSuffix(got, "control: you · ctrl+g hand over · here: alice, bob, olive") {
		t.Errorf("bob in control: %q", got)
	}
	// Below 80×24 the console's own notice is left whole.
	small := update(t, modelFor(t, r, pAlice), tea.WindowSizeMsg{Width: 79, Height: 24})
	if v := small.View(); v != small.con.View() || strings.Contains(v, "⇄") {
		t.Errorf("small terminal: %q", v)
	}
}

func TestHandOverFromTheChooser(t *testing.T) {
	r := newRig(t)
	dave := session.Participant{Name: "dave", Role: session.RoleLead}
	m := modelFor(t, r, pAlice, pAlice, pBob, pCarol, pOlive, dave)
	m, _ = press(t, m, keyOf("ctrl+g"))
	if got := statusRow(m); !strings.HasPrefix(got, "hand control to: [bob (driver)] dave (lead) · ") {
		t.Fatalf("chooser %q", got)
	}
	m, _ = press(t, m, keyOf("right"))
	if got := statusRow(m); !strings.Contains(got, "bob (driver) [dave (lead)]") {
		t.Fatalf("after right: %q", got)
	}
	m, _ = press(t, m, keyOf("esc")) // cancelled: nothing recorded
	if m.pick != nil || r.sess.State().Controller != "" {
		t.Fatalf("after esc: pick %v, controller %q", m.pick, r.sess.State().Controller)
	}
	m, _ = press(t, m, keyOf("ctrl+g"))
	m, _ = press(t, m, keyOf("R")) // the console's keys do nothing while choosing
	if m.pick == nil || r.sess.State().Phases[0].Status != fold.PhaseReady {
		t.Fatal("a console key went through the chooser")
	}
	m, _ = press(t, m, keyOf("enter"))
	if got := statusRow(m); got != "✓ control handed to bob" {
		t.Fatalf("after enter: %q", got)
	}
	if st := r.sess.State(); st.Controller != "bob" {
		t.Fatalf("controller %q", st.Controller)
	}
	// A key clears the outcome and the pairing line is back.
	m, _ = press(t, m, keyOf("j"))
	if got := statusRow(m); !strings.HasPrefix(got, "⇄ alice") {
		t.Fatalf("after a key: %q", got)
	}
}

func TestHandOverRefusals(t *testing.T) {
	r := newRig(t)
	// Nobody else who may drive is here: nothing to choose, nothing recorded.
	alone := modelFor(t, r, pAlice, pAlice, pCarol, pOlive)
	alone, _ = press(t, alone, keyOf("ctrl+g"))
	if got := statusRow(alone); got != "✗ nobody else who may drive is connected" || r.sess.State().Refused != 0 {
		t.Fatalf("alone: %q, refused %d", got, r.sess.State().Refused)
	}
	// A driver without control, or an approver, asks anyway: the core refuses
	// and records it.
	bob := modelFor(t, r, pBob, pAlice, pBob)
	bob, _ = press(t, bob, keyOf("ctrl+g"))
	if got := statusRow(bob); !strings.HasPrefix(got, "✗ hand over control refused: alice has control: only they or a lead") {
		t.Fatalf("bob: %q", got)
	}
	carol := modelFor(t, r, pCarol, pAlice, pCarol)
	carol, _ = press(t, carol, keyOf("ctrl+t"))
	if got := statusRow(carol); !strings.Contains(got, "carol is an approver: only a lead takes control") {
		t.Fatalf("carol: %q", got)
	}
	if got := r.sess.State().Refused; got != 2 {
		t.Fatalf("refused %d, want 2", got)
	}
}

func TestObserverAttemptsAreRecordedOncePerSecond(t *testing.T) {
	r := newRig(t)
	clock := time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)
	m := modelFor(t, r, pOlive, pAlice, pOlive)
	m.now = func() time.Time { return clock }

	m, took := press(t, m, keyOf("r"))
	if !took || !strings.Contains(statusRow(m), "✗ retry refused: olive is an observer") {
		t.Fatalf("first attempt: took %v, %q", took, statusRow(m))
	}
	m, _ = press(t, m, keyOf("o")) // within the second: not recorded again
	clock = clock.Add(attemptMinGap)
	m, _ = press(t, m, keyOf("n"))
	if got := r.sess.State().Refused; got != 2 {
		t.Fatalf("refused %d, want 2 (one per second)", got)
	}
	if !strings.Contains(statusRow(m), "✗ note refused") {
		t.Fatalf("second attempt: %q", statusRow(m))
	}
	// Moving around and enter stay the console's.
	for _, k := range []string{"j", "enter", "i"} {
		if _, took := press(t, m, keyOf(k)); took {
			t.Fatalf("%s was taken from the console", k)
		}
	}
}
