package console

import (
	"io"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"runway/engine"
	"runway/runbook/event"
)

// clock is the fixed time every test console reads.
var clock = t0.Add(47*time.Minute + 12*time.Second)

// asciiRenderer draws without colour, as NO_COLOR does.
func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return r
}

// newModel is a console on src at the given size, with a fixed clock and
// its first live sample taken.
func newModel(t testing.TB, src Source, w, h int) Model {
	t.Helper()
	m := New(src, Options{
		Renderer: asciiRenderer(), Operator: "alice", AuditPath: "/srv/runway/orders.db",
		Now: func() time.Time { return clock },
	})
	m = step(m, tea.WindowSizeMsg{Width: w, Height: h})
	return step(m, liveMsg{at: clock, live: src.Live()})
}

// step sends one message and drops the command.
func step(m Model, msg tea.Msg) Model {
	next, _ := m.Update(msg)
	return next.(Model)
}

// refresh is what the subscription does after an event: re-read the state.
func refresh(m Model, src Source) Model {
	m = step(m, stateMsg{src.State()})
	return step(m, liveMsg{at: clock, live: src.Live()})
}

// keyMsg turns "enter", "esc", "up", "down", "left", "right", "tab", "pgdown",
// "ctrl+c", "ctrl+j", "alt+enter" or literal text into a key message.
func keyMsg(k string) tea.KeyMsg {
	types := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "esc": tea.KeyEsc, "up": tea.KeyUp, "down": tea.KeyDown,
		"left": tea.KeyLeft, "right": tea.KeyRight, "tab": tea.KeyTab, "pgdown": tea.KeyPgDown,
		"pgup": tea.KeyPgUp, "ctrl+c": tea.KeyCtrlC, "backspace": tea.KeyBackspace, " ": tea.KeySpace,
		"ctrl+j": tea.KeyCtrlJ, "ctrl+u": tea.KeyCtrlU,
	}
	if k == "alt+enter" {
		return tea.KeyMsg{Type: tea.KeyEnter, Alt: true}
	}
	if t, ok := types[k]; ok {
		return tea.KeyMsg{Type: t, Runes: []rune(k)[:min(len(k), 1)]}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// press sends keys one by one and runs the command of the last one when it
// is an action (a doneMsg), feeding the result back; it returns the model
// and that message, if any.
func press(t testing.TB, m Model, keys ...string) (Model, tea.Msg) {
	t.Helper()
	var cmd tea.Cmd
	for _, k := range keys {
		var next tea.Model
		next, cmd = m.Update(keyMsg(k))
		m = next.(Model)
	}
	if cmd == nil {
		return m, nil
	}
	msg := cmd()
	switch msg.(type) {
	case doneMsg, closedMsg:
		m = step(m, msg)
	}
	return m, msg
}

// typeText types text into a dialog, rune by rune.
func typeText(m Model, text string) Model {
	for _, r := range text {
		m = step(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return m
}

// Scenarios: the fake core moved to a given point with real events.

func opened() *fakeCore { return newFake(orders()) }

func pass(f *fakeCore, phase, item string, summary string) {
	f.emit("alice", event.KindItemStarted, phase, item, event.StartedPayload{Attempt: 1})
	f.emit("alice", event.KindItemPassed, phase, item, event.ResultPayload{Attempt: 1, Summary: summary, DurationMS: 1000})
}

// prepared: preparation passed and its rollback point set.
func prepared() *fakeCore {
	f := opened()
	f.emit("alice", event.KindPhaseStarted, "preparation", "", nil)
	pass(f, "preparation", "target-up", "SELECT 1 = 1")
	f.emit("alice", event.KindItemAwaiting, "preparation", "backups", nil)
	f.emit("alice", event.KindItemPassed, "preparation", "backups", event.ResultPayload{
		Summary: "pass by bob (dba): restored 1,204,331 orders",
		SignOff: &event.SignOffPayload{Operator: "bob", Role: "dba", Observation: "restored 1,204,331 orders", At: t0.Add(5 * time.Minute)},
	})
	f.emit("alice", event.KindItemSkipped, "preparation", "disk", event.SkipPayload{Reason: "checked by hand this morning"})
	f.emit("alice", event.KindPhasePassed, "preparation", "", nil)
	f.emit("alice", event.KindRollbackPointSet, "preparation", "", event.RollbackPointPayload{Name: "preparation_complete", Checksum: "abc"})
	return f
}

// copying: the pilot's copy runs, with live progress on two tables.
func copying() *fakeCore {
	f := prepared()
	f.emit("alice", event.KindPhaseStarted, "pilot", "", nil)
	f.emit("alice", event.KindItemStarted, "pilot", "copy-orders", event.StartedPayload{Kind: "copy", Attempt: 1})
	f.emit("alice", event.KindEngineControl, "pilot", "copy-orders", event.ControlPayload{Action: "rate", Rate: 20000})
	f.setLive("copy-orders",
		engine.Progress{Engine: "copy", Table: "orders", Done: 120000, Total: 250000, RowsPerSec: 19850, ETA: 54 * time.Second},
		engine.Progress{Engine: "copy", Table: "order_lines", Done: 0, Total: 910000},
	)
	return f
}

// stopped: the pilot's critical verify failed and the stop rule holds.
func stopped() *fakeCore {
	f := prepared()
	f.emit("alice", event.KindPhaseStarted, "pilot", "", nil)
	pass(f, "pilot", "copy-orders", "copied 250,000 rows")
	f.emit("alice", event.KindItemStarted, "pilot", "verify-orders", event.StartedPayload{Kind: "verify", Attempt: 1})
	rate := 0.99988
	f.emit("alice", event.KindItemFailed, "pilot", "verify-orders", event.ResultPayload{
		Attempt: 1, Summary: "3 of 250,000 rows differ (match 99.988%)", DurationMS: 12000,
		Engine: &event.EngineSummary{
			MatchRate: &rate, DiffCount: 3,
			Tables: []event.TableSummary{{Table: "orders", Rows: 250000, Seconds: 12, RowsPerSec: 20833, Missing: 1, Different: 2}},
			Differences: []event.Difference{
				{Table: "orders", Key: []string{"1017"}, Type: "missing"},
				{Table: "orders", Key: []string{"2044"}, Type: "different", Columns: []string{"amount", "updated_at"}},
				{Table: "orders", Key: []string{"2051"}, Type: "different", Columns: []string{"status"}},
			},
		},
	})
	f.emit("alice", event.KindPhaseHalted, "pilot", "", event.PhasePayload{Reason: "verify-orders failed"})
	f.emit("alice", event.KindStopTriggered, "pilot", "verify-orders", event.StopPayload{
		Reason: "3 of 250,000 rows differ", Choices: []string{"retry", "override", "rollback"},
	})
	return f
}

// catchingUp: the cut-over's catch-up runs and is not converging.
func catchingUp() *fakeCore {
	f := prepared()
	f.emit("alice", event.KindPhaseStarted, "pilot", "", nil)
	pass(f, "pilot", "copy-orders", "copied 250,000 rows")
	pass(f, "pilot", "verify-orders", "all rows match")
	pass(f, "pilot", "smoke", "pass by carol (support)")
	f.emit("alice", event.KindPhasePassed, "pilot", "", nil)
	f.emit("alice", event.KindPhaseStarted, "cutover", "", nil)
	f.emit("alice", event.KindItemStarted, "cutover", "catchup", event.StartedPayload{Kind: "catchup", Attempt: 1})
	f.setLive("catchup", engine.Progress{Engine: "catchup", Table: "orders", Done: 18_204, Total: 19_408, RowsPerSec: 31,
		Note: "lag 1,204 changes, oldest 42s · not converging: 40 changes/s arrive, 31/s applied"})
	return f
}

// noted: the pilot's copy runs and two notes were written, the newest long.
func noted() *fakeCore {
	f := copying()
	f.emit("bob", event.KindNote, "", "", event.NotePayload{Text: "DBA on call: bob, phone 555-0142"})
	f.emit("alice", event.KindNote, "", "", event.NotePayload{Text: "pilot merchants told about the window; " +
		"support watches the queue and calls if the order counts on the dashboard look off after the switch"})
	return f
}

// awaiting: the preparation's manual backups check waits for its sign-off.
func awaiting() *fakeCore {
	f := opened()
	f.emit("alice", event.KindPhaseStarted, "preparation", "", nil)
	pass(f, "preparation", "target-up", "SELECT 1 = 1")
	f.emit("alice", event.KindItemAwaiting, "preparation", "backups", nil)
	return f
}
