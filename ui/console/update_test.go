package console

import (
	"reflect"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"runway/checks"
	"runway/runbook/event"
	"runway/runbook/session"
)

// wantAction fails unless the core's last action is want.
func wantAction(t *testing.T, f *fakeCore, want session.Action) {
	t.Helper()
	if got := f.last(); !reflect.DeepEqual(got, want) {
		t.Fatalf("action = %#v, want %#v", got, want)
	}
}

// wantNoAction fails if the core received any action.
func wantNoAction(t *testing.T, f *fakeCore) {
	t.Helper()
	if len(f.actions) > 0 {
		t.Fatalf("unexpected actions %#v", f.actions)
	}
}

// TestActions presses each action's keys and checks the action the core gets.
func TestActions(t *testing.T) {
	withPending := func(by string) func() *fakeCore {
		return func() *fakeCore {
			f := stopped()
			f.emit(by, event.KindOverrideRequested, "pilot", "verify-orders", event.OverridePayload{
				Reason: "diffs are test merchants", Policy: "two-person", RequestedBy: by,
			})
			return f
		}
	}
	paused := func() *fakeCore {
		f := copying()
		f.emit("alice", event.KindEngineControl, "pilot", "copy-orders", event.ControlPayload{Action: "pause"})
		return f
	}
	tests := []struct {
		name string
		core func() *fakeCore
		keys []string
		want session.Action
	}{
		{"run item", opened, []string{"enter"}, session.RunItem{Actor: "alice", Phase: "preparation", Item: "target-up"}},
		{"run phase", opened, []string{"R", "tab", "enter"}, session.RunPhase{Actor: "alice", Phase: "preparation"}},
		{"sign off", awaiting, []string{"s", "restored 1,204,331 orders", "enter"}, session.SignOff{Actor: "alice", Item: "backups",
			SignOff: checks.SignOff{Operator: "alice", Role: "dba", Verdict: checks.Pass, Observation: "restored 1,204,331 orders"}}},
		{"sign off on two lines", awaiting, []string{"s", "restored", "ctrl+j", "counts match", "alt+enter", "  ", "enter"}, session.SignOff{Actor: "alice", Item: "backups",
			SignOff: checks.SignOff{Operator: "alice", Role: "dba", Verdict: checks.Pass, Observation: "restored\ncounts match"}}},
		{"sign off failed", awaiting, []string{"s", "tab", "restore failed", "enter"}, session.SignOff{Actor: "alice", Item: "backups",
			SignOff: checks.SignOff{Operator: "alice", Role: "dba", Verdict: checks.Fail, Observation: "restore failed"}}},
		{"skip", opened, []string{"down", "down", "x", "checked by hand", "enter"}, session.Skip{Actor: "alice", Item: "disk", Reason: "checked by hand"}},
		{"retry", stopped, []string{"r"}, session.Retry{Actor: "alice", Item: "verify-orders"}},
		{"override", stopped, []string{"o", "diffs are test merchants", "enter", "tab", "enter"}, session.Override{Actor: "alice", Item: "verify-orders", Reason: "diffs are test merchants"}},
		{"approve", withPending("bob"), []string{"a", "y"}, session.ApproveOverride{Actor: "alice", Item: "verify-orders"}},
		{"reject", withPending("bob"), []string{"a", "n"}, session.RejectOverride{Actor: "alice", Item: "verify-orders"}},
		{"set rollback point", opened, []string{"b", "enter", "before pilot", "enter"}, session.SetRollbackPoint{Actor: "alice", Name: "before pilot"}},
		{"roll back", stopped, []string{"b", "down", "enter", "tab", "enter"}, session.Rollback{Actor: "alice", Point: "preparation_complete"}},
		{"pause engine", copying, []string{"p"}, session.PauseEngine{Actor: "alice", Item: "copy-orders"}},
		{"resume engine", paused, []string{"p"}, session.ResumeEngine{Actor: "alice", Item: "copy-orders"}},
		{"rate up", copying, []string{"+"}, session.SetRate{Actor: "alice", Item: "copy-orders", Rate: 25000}},
		{"rate down", copying, []string{"-"}, session.SetRate{Actor: "alice", Item: "copy-orders", Rate: 15000}},
		{"set rate", copying, []string{"L", "ctrl+u", "25k", "enter"}, session.SetRate{Actor: "alice", Item: "copy-orders", Rate: 25000}},
		{"remove rate limit", copying, []string{"L", "ctrl+u", "0", "enter"}, session.SetRate{Actor: "alice", Item: "copy-orders", Rate: 0}},
		{"note from the notes", noted, []string{"N", "n", "DBA on call: carol", "enter"}, session.Note{Actor: "alice", Text: "DBA on call: carol"}},
		{"note", opened, []string{"n", "DBA on call: bob", "enter"}, session.Note{Actor: "alice", Text: "DBA on call: bob"}},
		{"open incident", opened, []string{"e", "down", "enter"}, session.OpenIncident{Actor: "alice", Procedure: "db-down"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.core()
			m := newModel(t, f, 80, 24)
			for i, k := range tt.keys {
				before := m.View()
				var next tea.Model
				var cmd tea.Cmd
				if len([]rune(k)) > 1 && keyMsg(k).Type == tea.KeyRunes {
					m = typeText(m, k)
					continue
				}
				next, cmd = m.Update(keyMsg(k))
				m = next.(Model)
				if i < len(tt.keys)-1 {
					continue
				}
				// The last key sends the action: nothing is recorded, and
				// the panes do not change, until the command runs.
				wantNoAction(t, f)
				if cmd == nil {
					t.Fatalf("%q gave no command", k)
				}
				if m.dialog == nil && panes(m.View()) != panes(before) && !strings.Contains(before, "╭") {
					t.Errorf("the screen changed before the action was recorded")
				}
				m = step(m, cmd())
			}
			wantAction(t, f, tt.want)
			if !strings.Contains(m.View(), "recorded") {
				t.Errorf("status line does not say the action was recorded:\n%s", m.View())
			}
		})
	}
}

// panes is the screen without its status and help lines.
func panes(view string) string {
	lines := strings.Split(view, "\n")
	return strings.Join(lines[:max(len(lines)-2, 0)], "\n")
}

// TestScreenFollowsEvents: the screen shows an action's effect only once its
// event arrives through the subscription.
func TestScreenFollowsEvents(t *testing.T) {
	f := opened()
	f.react = func(f *fakeCore, a session.Action) {
		if a, ok := a.(session.RunItem); ok {
			f.emit(a.Actor, event.KindPhaseStarted, a.Phase, "", nil)
			f.emit(a.Actor, event.KindItemStarted, a.Phase, a.Item, event.StartedPayload{Attempt: 1})
		}
	}
	m := newModel(t, f, 80, 24)
	m, _ = press(t, m, "enter")
	if strings.Contains(m.View(), "▶ New database reachable") {
		t.Fatalf("item shown running before the state was re-read:\n%s", m.View())
	}
	m = refresh(m, f)
	if !strings.Contains(m.View(), "›▶ New database") {
		t.Fatalf("item not shown running after its event:\n%s", m.View())
	}
}

// TestRefusal shows the core's one-line reason in the status line.
func TestRefusal(t *testing.T) {
	f := opened()
	f.refuse["run item"] = "something is already running; wait for it to finish"
	m := newModel(t, f, 80, 24)
	m, _ = press(t, m, "enter")
	want := "✗ run target-up refused: something is already running; wait for it to finish"
	if got := strings.Split(m.View(), "\n")[22]; got != want {
		t.Fatalf("status line = %q, want %q", got, want)
	}
}

// TestStopRuleKeys: while a stop rule holds, only its choices and the
// session-wide actions are offered, and the banner names them.
func TestStopRuleKeys(t *testing.T) {
	m := newModel(t, stopped(), 80, 24)
	k := m.keys
	on := map[string]bool{
		"run": k.Run.Enabled(), "run phase": k.RunPhase.Enabled(), "retry": k.Retry.Enabled(),
		"override": k.Override.Enabled(), "skip": k.Skip.Enabled(), "rollback": k.Rollback.Enabled(),
		"note": k.Note.Enabled(), "approve": k.Approve.Enabled(),
	}
	want := map[string]bool{"run": false, "run phase": false, "retry": true, "override": true, "skip": false, "rollback": true, "note": true, "approve": false}
	if !reflect.DeepEqual(on, want) {
		t.Errorf("enabled keys on the stopped item = %v, want %v", on, want)
	}
	v := m.View()
	for _, s := range []string{"■ STOPPED · pilot/verify-orders", "choices: r retry · o override · b roll back", "state: ■ stopped"} {
		if !strings.Contains(v, s) {
			t.Errorf("view lacks %q:\n%s", s, v)
		}
	}
	footer := strings.Split(v, "\n")[23]
	if !strings.HasPrefix(footer, "r retry · o override") || strings.Contains(footer, "enter run") {
		t.Errorf("footer = %q", footer)
	}

	// The next item cannot start while the stop rule holds; the key says why.
	m, _ = press(t, m, "down", "enter")
	if !strings.Contains(m.View(), "✗ enter: ") {
		t.Errorf("enter on a blocked item does not explain:\n%s", m.View())
	}
	// A critical item is never skipped.
	m, _ = press(t, m, "up", "x")
	if !strings.Contains(m.View(), "a critical item cannot be skipped") {
		t.Errorf("x on a critical item does not explain:\n%s", m.View())
	}
}

// TestOverridePolicies: forbidden offers no override, two-person needs
// another person's approval, and the pending override shows as a notice.
func TestOverridePolicies(t *testing.T) {
	f := prepared()
	f.emit("alice", event.KindPhaseStarted, "pilot", "", nil)
	pass(f, "pilot", "copy-orders", "")
	pass(f, "pilot", "verify-orders", "")
	f.emit("alice", event.KindItemSkipped, "pilot", "smoke", event.SkipPayload{Reason: "weekend"})
	f.emit("alice", event.KindPhasePassed, "pilot", "", nil)
	f.emit("alice", event.KindPhaseStarted, "cutover", "", nil)
	f.emit("alice", event.KindItemStarted, "cutover", "catchup", event.StartedPayload{Attempt: 1})
	f.emit("alice", event.KindItemFailed, "cutover", "catchup", event.ResultPayload{Attempt: 1, Summary: "lag grows"})
	f.emit("alice", event.KindStopTriggered, "cutover", "catchup", event.StopPayload{Reason: "lag grows", Choices: []string{"retry", "rollback"}})
	m := newModel(t, f, 80, 24)
	if m.keys.Override.Enabled() {
		t.Fatal("override offered in a phase that forbids it")
	}
	m, _ = press(t, m, "o")
	if !strings.Contains(m.View(), "phase cutover forbids overrides") {
		t.Errorf("o does not say the phase forbids overrides:\n%s", m.View())
	}

	// Two-person: alice's own request cannot be approved by alice.
	g := stopped()
	g.emit("alice", event.KindOverrideRequested, "pilot", "verify-orders", event.OverridePayload{Reason: "known", Policy: "two-person", RequestedBy: "alice"})
	m = newModel(t, g, 80, 24)
	if m.keys.Approve.Enabled() || m.keys.Override.Enabled() {
		t.Error("approve or override offered on one's own pending override")
	}
	if !strings.Contains(m.View(), "WAITING FOR AN APPROVER since 09:00 · override of pilot/verify-orders") {
		t.Errorf("pending override notice missing:\n%s", m.View())
	}
}

// TestDialogsNeedText: reasons, notes and required observations are not sent empty.
func TestDialogsNeedText(t *testing.T) {
	for _, keys := range [][]string{{"o", "enter"}, {"n", "enter"}, {"L", "ctrl+u", "enter"}, {"L", "ctrl+u", "fast", "enter"}} {
		f := stopped()
		if keys[0] == "L" {
			f = copying()
		}
		m := newModel(t, f, 80, 24)
		m, _ = press(t, m, keys...)
		wantNoAction(t, f)
		if m.dialog == nil || !strings.Contains(m.View(), "✗ ") {
			t.Errorf("%v: empty text accepted or not explained:\n%s", keys, m.View())
		}
		m, _ = press(t, m, "esc")
		if m.dialog != nil {
			t.Errorf("%v: esc did not close the dialog", keys)
		}
	}
}

// TestRollbackConfirmShowsSteps: the confirmation lists the steps that will run.
func TestRollbackConfirmShowsSteps(t *testing.T) {
	m := newModel(t, stopped(), 80, 24)
	m, _ = press(t, m, "b", "down", "enter")
	v := m.View()
	for _, s := range []string{"Roll back to preparation_complete", "1. pilot: Route pilot merchants back", "2. pilot: Truncate pilot rows", "› No, cancel", "Yes, roll back to preparation_complete"} {
		if !strings.Contains(v, s) {
			t.Errorf("confirmation lacks %q:\n%s", s, v)
		}
	}
	if strings.Contains(v, "Drop copied tables") {
		t.Errorf("confirmation lists a step of the phase the point keeps:\n%s", v)
	}
}

// TestIncidentWalk opens a procedure, marks a step and closes the incident.
func TestIncidentWalk(t *testing.T) {
	f := opened()
	f.react = func(f *fakeCore, a session.Action) {
		switch a := a.(type) {
		case session.OpenIncident:
			f.emit(a.Actor, event.KindIncidentOpened, "", "", event.IncidentPayload{Procedure: a.Procedure})
		case session.IncidentStep:
			f.emit(a.Actor, event.KindIncidentStep, "", "", event.IncidentPayload{Procedure: a.Procedure, Step: a.Step})
		}
	}
	m := newModel(t, f, 80, 24)
	m, _ = press(t, m, "e", "enter")
	m = refresh(m, f)
	v := m.View()
	for _, s := range []string{"Emergency procedure · Data inconsistency", "escalate after 1h, at 10:00 (in 12m", "[ ] 1. pause the copy"} {
		if !strings.Contains(v, s) {
			t.Errorf("incident view lacks %q:\n%s", s, v)
		}
	}
	m, _ = press(t, m, "down", " ")
	wantAction(t, f, session.IncidentStep{Actor: "alice", Procedure: "data-inconsistency", Step: 2})
	m = refresh(m, f)
	if !strings.Contains(m.View(), "[✓] 2. compare") {
		t.Errorf("step not shown done:\n%s", m.View())
	}
	m, _ = press(t, m, "esc", "esc")
	if v := m.View(); !strings.Contains(v, "⚑ incident Data inconsistency: 1/5 steps · escalate at 10:00 (in 12m") {
		t.Errorf("no incident notice on the main screen:\n%s", v)
	}
	m, _ = press(t, m, "e", "enter", "c")
	if v := m.View(); !strings.Contains(v, "with 4 steps not done") || !strings.Contains(v, "[ ] 5. re-verify") {
		t.Errorf("closing with steps left does not ask, naming them:\n%s", v)
	}
	m, _ = press(t, m, "tab", "enter")
	wantAction(t, f, session.CloseIncident{Actor: "alice", Procedure: "data-inconsistency"})
	// An incident past its escalation time turns into a red call to escalate.
	m.clock = clock.Add(time.Hour)
	if v := m.View(); !strings.Contains(v, "ESCALATE NOW (due 10:00)") {
		t.Errorf("overdue incident not flagged:\n%s", v)
	}
}

// TestNavigation moves between phases and items and keeps the selection on screen.
func TestNavigation(t *testing.T) {
	f := newFake(bigRunbook(3, 40))
	m := newModel(t, f, 80, 24)
	m, _ = press(t, m, "j", "j", "j")
	if m.item != 3 {
		t.Fatalf("item = %d after three j, want 3", m.item)
	}
	for range 30 {
		m, _ = press(t, m, "down")
	}
	if !strings.Contains(m.View(), "›○ Check number 34 ") {
		t.Errorf("selected item not on screen:\n%s", m.View())
	}
	m, _ = press(t, m, "l")
	if m.phase != 1 || m.item != 0 {
		t.Fatalf("after l: phase %d item %d", m.phase, m.item)
	}
	m, _ = press(t, m, "h", "h", "h")
	if m.phase != 0 {
		t.Fatalf("h past the first phase: phase %d", m.phase)
	}
	// Scrolling the detail of an item with long output.
	g := opened()
	g.emit("alice", event.KindPhaseStarted, "preparation", "", nil)
	g.emit("alice", event.KindItemStarted, "preparation", "target-up", event.StartedPayload{Attempt: 1})
	var out strings.Builder
	for i := range 60 {
		out.WriteString("line " + itoa(i+1) + "\n")
	}
	g.emit("alice", event.KindItemFailed, "preparation", "target-up", event.ResultPayload{Attempt: 1, Summary: "no", Output: out.String()})
	m = newModel(t, g, 80, 24)
	if strings.Contains(m.View(), "line 60") {
		t.Fatal("the whole output fits: the test needs more lines")
	}
	for range 20 {
		m, _ = press(t, m, "pgdown")
	}
	if v := m.View(); !strings.Contains(v, "line 60") || !strings.Contains(v, "pgup/pgdn") {
		t.Errorf("pgdown does not reach the end of the output:\n%s", v)
	}
}

// TestKeysInOneRead: keys that arrive together are handled one by one, but
// pasted text is text.
func TestKeysInOneRead(t *testing.T) {
	f := stopped()
	m := newModel(t, f, 80, 24)
	m = step(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("kx")})
	if m.item != 0 || m.dialog != nil {
		t.Fatalf("k then x: item %d, dialog %v", m.item, m.dialog)
	}
	m = step(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jo")})
	if m.dialog == nil {
		t.Fatal("j then o did not open the override dialog")
	}
	m = step(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("rq pasted"), Paste: true})
	if m, _ = press(t, m, "enter", "tab", "enter"); f.last() != (session.Override{Actor: "alice", Item: "verify-orders", Reason: "rq pasted"}) {
		t.Fatalf("pasted reason: %#v", f.last())
	}
}

// TestLongOutput shows the tail of a long output and says how much is left out.
func TestLongOutput(t *testing.T) {
	f := opened()
	f.emit("alice", event.KindPhaseStarted, "preparation", "", nil)
	f.emit("alice", event.KindItemStarted, "preparation", "target-up", event.StartedPayload{Attempt: 1})
	var out strings.Builder
	for i := range 1000 {
		out.WriteString("row " + itoa(i+1) + "\n")
	}
	f.emit("alice", event.KindItemFailed, "preparation", "target-up", event.ResultPayload{Attempt: 1, Summary: "no", Output: out.String()})
	m := newModel(t, f, 80, 24)
	lines := m.detail(m.selected(), 80)
	text := strings.Join(lines, "\n")
	if !strings.Contains(text, "… 600 earlier lines not shown") || !strings.Contains(text, "  row 601\n") || !strings.HasSuffix(text, "  row 1000") {
		t.Errorf("tail of the output:\n%s", text[:min(len(text), 400)])
	}
}
