package console

import (
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"runway/engine"
	"runway/runbook"
	"runway/runbook/event"
	"runway/ui/inert"
)

// evil carries what a command, a database value, a runbook or a peer could
// send to drive the terminal: a clipboard write (OSC 52), a title (OSC 0), a
// clear screen, a reset, a DCS, an 8-bit CSI as a raw byte and as a rune, a
// bidi override and a line that reads like an event.
const evil = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\a\x1b]0;pwned\a\x1b[2J\x1bc\x1bP+q544e\x1b\\" +
	"\x9b2J\u009b2J\u202eevil\u202c\nphase p / item name passed\x1bE12:00:00 p/name  passed\r\v\f\x7f"

// hostileRunbook is orders() with evil in every text a runbook author writes.
func hostileRunbook() *runbook.Runbook {
	rb := orders()
	rb.Title += evil
	rb.Risks[0].Name += evil
	rb.Risks[0].Mitigation += evil
	rb.Procedures[0].Title += evil
	rb.Procedures[0].Steps[0] += evil
	ph := &rb.Phases[0]
	ph.Title += evil
	ph.Expected.Text += evil
	ph.Items[0].Title += evil
	ph.Items[0].SQL.Query += evil
	ph.Items[1].Instructions += evil
	ph.Items[1].Manual.Expect += evil
	ph.Items[2].Command.Run += evil
	ph.Rollback[0].Title += evil
	rb.Phases[1].Items[0].Copy.Where = "merchant = 'x" + evil + "'"
	return rb
}

// hostile: evil in output, results, notes, names and engine progress.
func hostile() *fakeCore {
	f := newFake(hostileRunbook())
	f.emit("mallory"+evil, event.KindNote, "", "", event.NotePayload{Text: "note" + evil})
	f.emit("alice", event.KindPhaseStarted, "preparation", "", nil)
	f.emit("alice", event.KindItemStarted, "preparation", "target-up", event.StartedPayload{Attempt: 1})
	f.emit("alice", event.KindItemFailed, "preparation", "target-up", event.ResultPayload{
		Attempt: 1, Critical: true, Summary: "first value Bob" + evil, Output: "Bob" + evil,
		Engine: &event.EngineSummary{Sampled: "sampled" + evil, DiffCount: 1,
			Tables:      []event.TableSummary{{Table: "orders" + evil, Rows: 1}},
			Differences: []event.Difference{{Table: "orders" + evil, Key: []string{"k" + evil}, Type: "different", Columns: []string{"c" + evil}}}},
	})
	f.emit("alice", event.KindItemAwaiting, "preparation", "backups", nil)
	f.emit("bob"+evil, event.KindItemPassed, "preparation", "backups", event.ResultPayload{
		Summary: "pass" + evil,
		SignOff: &event.SignOffPayload{Operator: "bob" + evil, Role: "dba" + evil, Observation: "seen" + evil, At: t0},
	})
	f.emit("alice", event.KindItemStarted, "preparation", "disk", event.StartedPayload{Attempt: 1})
	f.emit("alice", event.KindItemPassed, "preparation", "disk", event.ResultPayload{Attempt: 1, Summary: "exit 0",
		Output: strings.Repeat("col1\tcol2"+evil+"\n", 3)})
	f.emit("alice", event.KindPhaseHalted, "preparation", "", event.PhasePayload{Reason: "halted" + evil})
	f.emit("alice", event.KindStopTriggered, "preparation", "target-up", event.StopPayload{
		Reason: "critical item failed" + evil, Choices: []string{"retry", "override"},
	})
	f.emit("mallory"+evil, event.KindOverrideRequested, "preparation", "target-up", event.OverridePayload{
		RequestedBy: "mallory" + evil, Reason: "because" + evil, Policy: "two-person",
	})
	f.refuse["note"] = "refused" + evil
	f.setLive("copy-orders", engine.Progress{Engine: "copy", Table: "orders" + evil, Done: 1, Total: 2, Note: "lag" + evil})
	return f
}

// colourRenderer draws with 256 colours, so the screens carry SGR sequences.
func colourRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	return r
}

// TestViewShowsOutsideTextInert draws every screen of a session full of
// hostile text: no screen may carry a control character, an escape other
// than the console's own colours, a C1 control or a bidi override, and every
// screen keeps its size (a forged line would add one).
func TestViewShowsOutsideTextInert(t *testing.T) {
	screens := [][]string{
		nil, {"down"}, {"down", "down"}, {"down", "pgdown"}, {"down", "down", "pgdown", "pgdown"},
		{"right"}, {"right", "right"}, {"i"}, {"N"}, {"e"}, {"e", "enter"}, {"b"}, {"o"}, {"a"}, {"n", "x", "enter"}, {"?"},
	}
	for _, r := range []*lipgloss.Renderer{asciiRenderer(), colourRenderer()} {
		for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 60}} {
			for _, keys := range screens {
				f := hostile()
				m := New(f, Options{Renderer: r, Operator: "alice", AuditPath: "/srv/runway/orders.db", Now: func() time.Time { return clock }})
				m = step(m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				m = step(m, liveMsg{at: clock, live: f.Live()})
				for _, k := range keys {
					m, _ = press(t, m, k)
				}
				view := m.View()
				if msg := inert.Problem(view, true); msg != "" {
					t.Fatalf("%v at %v after %v: %s in\n%s", r.ColorProfile(), size, keys, msg, view)
				}
				checkSize(t, view, size[0], size[1])
				if t.Failed() {
					t.Fatalf("%v after %v:\n%s", size, keys, view)
				}
			}
		}
	}
}

// FuzzConsoleView puts any text where outside text goes (a title, a result,
// captured output, a note and its author, a stop's reason, a table's name)
// and draws the screen: it must stay inert and keep its size.
func FuzzConsoleView(f *testing.F) {
	f.Add(evil)
	f.Add("\x9b\u009b\u202e\r\n\t\x00\x7f")
	f.Fuzz(func(t *testing.T, s string) {
		rb := orders()
		rb.Phases[0].Title = s
		rb.Phases[0].Items[0].Title = s
		c := newFake(rb)
		c.emit(s, event.KindNote, "", "", event.NotePayload{Text: s})
		c.emit("alice", event.KindPhaseStarted, "preparation", "", nil)
		c.emit("alice", event.KindItemStarted, "preparation", "target-up", event.StartedPayload{Attempt: 1})
		c.emit("alice", event.KindItemFailed, "preparation", "target-up", event.ResultPayload{Attempt: 1, Critical: true, Summary: s, Output: s})
		c.emit("alice", event.KindStopTriggered, "preparation", "target-up", event.StopPayload{Reason: s, Choices: []string{"retry"}})
		c.setLive("target-up", engine.Progress{Engine: "copy", Table: s, Done: 1, Total: 2, Note: s})
		m := newModel(t, c, 80, 24)
		view := m.View()
		if msg := inert.Problem(view, true); msg != "" {
			t.Fatalf("%s in\n%s", msg, view)
		}
		checkSize(t, view, 80, 24)
	})
}

// TestResultStaysOneLine: a value with a line break in a result (a
// customer name from a SQL check) cannot start a row of its own in the
// detail that reads like runway's.
func TestResultStaysOneLine(t *testing.T) {
	f := opened()
	f.emit("alice", event.KindPhaseStarted, "preparation", "", nil)
	f.emit("alice", event.KindItemStarted, "preparation", "target-up", event.StartedPayload{Attempt: 1})
	f.emit("alice", event.KindItemFailed, "preparation", "target-up", event.ResultPayload{
		Attempt: 1, Summary: "first value Bob\n12:00:00 preparation/target-up passed\r\nok"})
	m := newModel(t, f, 120, 40)
	view := ansi.Strip(m.View())
	if !strings.Contains(view, "Result: first value Bob 12:00:00 preparation/target-up passed ok") {
		t.Fatalf("the result is not shown on one line:\n%s", view)
	}
}
