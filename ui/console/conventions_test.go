package console

import (
	"strings"
	"testing"

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
		{"j then roll back", prepared, []string{"b", "j", "enter", "y"}, session.Rollback{Actor: "alice", Point: "preparation_complete"}},
		{"j j then roll back", prepared, []string{"b", "j", "j", "enter", "y"}, session.Rollback{Actor: "alice", Point: "preparation_complete"}},
		{"j k sets a point", prepared, []string{"b", "j", "k", "enter", "here", "enter"}, session.SetRollbackPoint{Actor: "alice", Name: "here"}},
		{"G roll back", prepared, []string{"b", "G", "enter", "y"}, session.Rollback{Actor: "alice", Point: "preparation_complete"}},
		{"end then home", prepared, []string{"b", "end", "home", "enter", "here", "enter"}, session.SetRollbackPoint{Actor: "alice", Name: "here"}},
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
					f.emit(a.Actor, session.KindIncidentOpened, "", "", session.IncidentPayload{Procedure: a.Procedure})
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
	m, _ = press(t, m, "y")
	wantAction(t, f, session.Rollback{Actor: "alice", Point: "preparation_complete"})

	// With nothing in the way, setting a point is live and comes first.
	m = newModel(t, prepared(), 80, 24)
	m, _ = press(t, m, "b")
	if v := m.View(); !strings.Contains(v, "› + set a rollback point now") {
		t.Fatalf("the dialog does not open on setting a point:\n%s", v)
	}
}
