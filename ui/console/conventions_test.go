package console

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"runway/runbook/event"
	"runway/runbook/session"
)

// TestDialogListsMoveLikeTheConsole: j/k, g/G and home/end move in every
// dialog list as ↓/↑ do in the console. Before, j was ignored, so `b j
// enter` set a rollback point instead of rolling back.
func TestDialogListsMoveLikeTheConsole(t *testing.T) {
	tests := []struct {
		name string
		core func() *fakeCore
		keys []string
		want session.Action
	}{
		{"j then roll back", prepared, []string{"b", "j", "enter", "tab", "enter"}, session.Rollback{Actor: "alice", Point: "preparation_complete"}},
		{"j j then roll back", prepared, []string{"b", "j", "j", "enter", "tab", "enter"}, session.Rollback{Actor: "alice", Point: "preparation_complete"}},
		{"j k sets a point", prepared, []string{"b", "j", "k", "enter", "here", "enter"}, session.SetRollbackPoint{Actor: "alice", Name: "here"}},
		{"G roll back", prepared, []string{"b", "G", "enter", "tab", "enter"}, session.Rollback{Actor: "alice", Point: "preparation_complete"}},
		{"G g sets a point", prepared, []string{"b", "G", "g", "enter", "here", "enter"}, session.SetRollbackPoint{Actor: "alice", Name: "here"}},
		{"j in the procedures", opened, []string{"e", "j", "enter"}, session.OpenIncident{Actor: "alice", Procedure: "db-down"}},
		{"G g in the procedures", opened, []string{"e", "G", "g", "enter"}, session.OpenIncident{Actor: "alice", Procedure: "data-inconsistency"}},
		{"j in an incident's steps", opened, []string{"e", "enter", "j", "j", " "}, session.IncidentStep{Actor: "alice", Procedure: "data-inconsistency", Step: 3}},
		{"G in an incident's steps", opened, []string{"e", "enter", "G", " "}, session.IncidentStep{Actor: "alice", Procedure: "data-inconsistency", Step: 5}},
		// In a text dialog, j, k and g are text.
		{"j k g are a note's text", opened, []string{"n", "j", "k", "g", "G", "enter"}, session.Note{Actor: "alice", Text: "jkgG"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.core()
			f.react = func(f *fakeCore, a session.Action) {
				if a, ok := a.(session.OpenIncident); ok {
					f.emit(a.Actor, event.KindIncidentOpened, "", "", event.IncidentPayload{Procedure: a.Procedure})
				}
			}
			m := newModel(t, f, 80, 24)
			for _, k := range tt.keys {
				var msg any
				m, msg = press(t, m, k)
				if _, ok := msg.(doneMsg); ok {
					m = refresh(m, f)
				}
			}
			wantAction(t, f, tt.want)
		})
	}
}

// TestRollbackPreselectsALiveChoice: while a stop rule holds no point may be
// set, so the dialog opens on the newest point: enter rolls back to it
// instead of answering with a refusal.
func TestRollbackPreselectsALiveChoice(t *testing.T) {
	f := stopped()
	m := newModel(t, f, 80, 24)
	m, _ = press(t, m, "b")
	v := m.View()
	if !strings.Contains(v, "› ↺ preparation_complete") {
		t.Fatalf("the dialog does not open on the rollback point:\n%s", v)
	}
	m, _ = press(t, m, "enter")
	m, _ = press(t, m, "tab", "enter") // Yes, roll back
	wantAction(t, f, session.Rollback{Actor: "alice", Point: "preparation_complete"})

	// With nothing in the way, setting a point is live and comes first.
	m = newModel(t, prepared(), 80, 24)
	m, _ = press(t, m, "b")
	if v := m.View(); !strings.Contains(v, "› + set a rollback point now") {
		t.Fatalf("the dialog does not open on setting a point:\n%s", v)
	}
}

// itemsPane is the items pane's rows: the right side of the list rows.
func itemsPane(m Model) []string {
	l := m.layout()
	var out []string
	for _, line := range m.listLines(l) {
		if _, right, ok := strings.Cut(line, " │ "); ok {
			out = append(out, strings.TrimRight(right, " "))
		}
	}
	return out
}

// TestFilterItems: / filters the items by text and state, the title says
// so, esc clears it, and the cursor moves among the items shown.
func TestFilterItems(t *testing.T) {
	m := newModel(t, stopped(), 120, 40)
	m.move(0, -1<<30)
	m, _ = press(t, m, "/", "f", "a", "i", "l")
	pane := strings.Join(itemsPane(m), "\n")
	if !strings.Contains(pane, "ITEMS /fail▏ (1 of 3)") || !strings.Contains(pane, "Verify pilot orders") ||
		strings.Contains(pane, "Copy pilot orders") || strings.Contains(pane, "Pilot merchants") {
		t.Fatalf("/fail does not leave the failed item alone:\n%s", pane)
	}
	if m.selected().item.ID != "verify-orders" {
		t.Errorf("the cursor is on %s, not on the one item shown", m.selected().item.ID)
	}
	m, _ = press(t, m, "enter")
	if pane := strings.Join(itemsPane(m), "\n"); !strings.Contains(pane, "ITEMS /fail (1 of 3)") {
		t.Errorf("enter does not keep the filter:\n%s", pane)
	}
	m, _ = press(t, m, "esc")
	if pane := strings.Join(itemsPane(m), "\n"); strings.Contains(pane, "/fail") || !strings.Contains(pane, "Copy pilot orders") {
		t.Errorf("esc does not clear the filter:\n%s", pane)
	}

	// By kind, and by a word of the title; the cursor moves among the shown.
	m, _ = press(t, m, "/", "m", "a", "n", "u", "a", "l", "enter")
	if pane := strings.Join(itemsPane(m), "\n"); !strings.Contains(pane, "Pilot merchants") || strings.Contains(pane, "Verify") {
		t.Errorf("/manual:\n%s", pane)
	}
	m, _ = press(t, m, "/", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "o", "r", "d", "e", "r", "s", "enter", "g")
	if id := m.selected().item.ID; id != "copy-orders" {
		t.Errorf("g goes to %s, want copy-orders", id)
	}
	m, _ = press(t, m, "j")
	if id := m.selected().item.ID; id != "verify-orders" {
		t.Errorf("j goes to %s, want verify-orders", id)
	}
	m, _ = press(t, m, "j")
	if id := m.selected().item.ID; id != "smoke" {
		t.Errorf("j goes to %s, want smoke (its title has \"orders\")", id)
	}

	m, _ = press(t, m, "/", "x", "y", "z", "enter")
	if pane := strings.Join(itemsPane(m), "\n"); !strings.Contains(pane, "no item matches") {
		t.Errorf("a filter that matches nothing does not say so:\n%s", pane)
	}
}

// TestFilterTextIsNeverAnAction: while the filter is typed, every key is
// its text, even those that run things.
func TestFilterTextIsNeverAnAction(t *testing.T) {
	f := opened()
	m := newModel(t, f, 80, 24)
	m, _ = press(t, m, "/")
	m = typeText(m, "Run it later, finance not on bridge")
	for _, k := range []string{"R", "x", "s", "b", "n", "q"} {
		var cmd any
		m, cmd = press(t, m, k)
		if cmd != nil {
			t.Fatalf("%s typed into the filter gave a command", k)
		}
	}
	wantNoAction(t, f)
	if m.dialog != nil {
		t.Fatalf("a key typed into the filter opened a dialog")
	}
	if m.find.query != "Run it later, finance not on bridgeRxsbnq" {
		t.Errorf("the filter holds %q", m.find.query)
	}
	if m.selected().item != nil {
		t.Errorf("with no item shown, %s is selected and could be acted on", m.selected().item.ID)
	}
}

// TestFirstAndLast: g/home and G/end go to the first and last item.
func TestFirstAndLast(t *testing.T) {
	m := newModel(t, opened(), 80, 24)
	for _, tt := range []struct {
		key  tea.KeyMsg
		want string
	}{
		{keyMsg("G"), "disk"}, {keyMsg("g"), "target-up"}, {tea.KeyMsg{Type: tea.KeyEnd}, "disk"}, {tea.KeyMsg{Type: tea.KeyHome}, "target-up"},
	} {
		m = step(m, tt.key)
		if id := m.selected().item.ID; id != tt.want {
			t.Errorf("%s: cursor on %s, want %s", tt.key, id, tt.want)
		}
	}
}
