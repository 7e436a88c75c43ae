package replay

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/fold"
)

// replayRunbook: a preparation with a copy, a pilot with a critical check
// and a manual sign-off, and a cutover.
const replayRunbook = `
version: 1
name: orders-split
title: Move orders to the new cluster
connections:
  legacy: {driver: sqlite, dsn: "legacy.db"}
  new: {driver: sqlite, dsn: "new.db"}
phases:
  - id: prep
    title: Preparation
    risk: low
    expected: 1h
    items:
      - {id: target-up, title: New database reachable, critical: true, command: {run: "true"}}
      - {id: copy-orders, title: Copy orders, copy: {from: legacy, to: new, tables: [orders, order_lines]}}
    rollback:
      - {title: Drop copied tables, command: {run: "true"}}
    rollback_point: prep_done
  - id: pilot
    title: Pilot
    risk: medium
    expected: 1h
    items:
      - {id: compare, title: Compare totals, critical: true, command: {run: "true"}}
      - {id: signoff, title: Pilot looks right, manual: {expect: "orders visible"}}
  - id: cutover
    title: Cutover
    risk: high
    expected: 1h
    items:
      - {id: switch, title: Switch reads, command: {run: "true"}}
`

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func parseRunbook(t testing.TB) *runbook.Runbook {
	t.Helper()
	rb, err := runbook.Parse("orders.yaml", []byte(replayRunbook), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatalf("runbook: %v", err)
	}
	return rb
}

// gen writes a synthetic session's events: what the executor would write
// for a copy with frequent progress and checkpoints, a critical failure,
// a retry, an override, notes, a rollback and idle waits for sign-offs.
type gen struct {
	events []audit.Event
	at     time.Time
}

func (g *gen) emit(kind, phase, item string, payload any, after time.Duration) {
	g.at = g.at.Add(after)
	var raw json.RawMessage
	if payload != nil {
		raw, _ = json.Marshal(payload)
	}
	g.events = append(g.events, audit.Event{
		Seq: int64(len(g.events) + 1), Session: "s1", Time: g.at, Actor: "alice",
		Kind: kind, Phase: phase, Item: item, Payload: raw,
	})
}

// session makes about n events: copy telemetry fills what the rest leaves.
func synthetic(n int) []audit.Event {
	g := &gen{at: t0}
	ms := time.Millisecond
	g.emit(event.KindSessionOpened, "", "", map[string]string{"operator": "alice", "host": "db1"}, 0)
	g.emit(event.KindPhaseStarted, "prep", "", nil, 2*time.Second)
	g.emit(event.KindItemStarted, "prep", "target-up", event.StartedPayload{Kind: "command", Attempt: 1}, ms)
	g.emit(event.KindItemFailed, "prep", "target-up", event.ResultPayload{Attempt: 1, Summary: "exit 1", Critical: true}, 30*ms)
	g.emit(event.KindPhaseHalted, "prep", "", event.PhasePayload{Reason: "target-up failed"}, ms)
	g.emit(event.KindStopTriggered, "prep", "target-up", event.StopPayload{Reason: "target-up failed", Choices: []string{"retry", "override"}}, ms)
	g.emit(event.KindNote, "", "", event.NotePayload{Text: "network team paged"}, 4*time.Minute)
	g.emit(event.KindStopCleared, "prep", "target-up", event.StopPayload{}, 6*time.Minute)
	g.emit(event.KindItemStarted, "prep", "target-up", event.StartedPayload{Kind: "command", Attempt: 2}, ms)
	g.emit(event.KindItemPassed, "prep", "target-up", event.ResultPayload{Attempt: 2, Summary: "exit 0"}, 20*ms)
	g.emit(event.KindItemStarted, "prep", "copy-orders", event.StartedPayload{Kind: "copy", Attempt: 1}, ms)
	const tail = 18 // the events after the copy
	copies := max(n-len(g.events)-tail, 0)
	total := int64(copies) * 500
	for i := range copies {
		table := "orders"
		if i%2 == 1 {
			table = "order_lines"
		}
		done := int64(i+1) * 500
		switch {
		case i > 0 && i%25000 == 0:
			g.emit(event.KindNote, "", "", event.NotePayload{Text: fmt.Sprintf("copy at %d rows", done)}, ms)
		case i%3 == 0:
			g.emit(event.KindEngineCheckpoint, "prep", "copy-orders", event.CheckpointPayload{Table: table, LastKey: []string{fmt.Sprint(done)}, Rows: done}, 10*ms)
		default:
			g.emit(event.KindEngineProgress, "prep", "copy-orders", event.ProgressPayload{Table: table, Done: done, Total: total, RowsPerSec: 50000, ETAms: 1000}, 10*ms)
		}
	}
	g.emit(event.KindItemPassed, "prep", "copy-orders", event.ResultPayload{Attempt: 1, Summary: "copied"}, 10*ms)
	g.emit(event.KindPhasePassed, "prep", "", nil, ms)
	g.emit(event.KindRollbackPointSet, "prep", "", event.RollbackPointPayload{Name: "prep_done", Checksum: "x"}, ms)
	g.emit(event.KindPhaseStarted, "pilot", "", nil, 3*time.Second)
	g.emit(event.KindItemStarted, "pilot", "compare", event.StartedPayload{Kind: "command", Attempt: 1}, ms)
	g.emit(event.KindItemFailed, "pilot", "compare", event.ResultPayload{Attempt: 1, Summary: "totals differ", Critical: true}, 40*ms)
	g.emit(event.KindPhaseHalted, "pilot", "", nil, ms)
	g.emit(event.KindStopTriggered, "pilot", "compare", event.StopPayload{Reason: "totals differ", Choices: []string{"retry", "override", "rollback"}}, ms)
	g.emit(event.KindItemOverridden, "pilot", "compare", event.OverridePayload{Reason: "rounding in legacy", Policy: "reason", RequestedBy: "alice"}, 2*time.Minute)
	g.emit(event.KindStopCleared, "pilot", "compare", nil, ms)
	g.emit(event.KindItemAwaiting, "pilot", "signoff", nil, ms)
	g.emit(event.KindItemFailed, "pilot", "signoff", event.ResultPayload{Summary: "orders missing in the shop"}, 20*time.Minute)
	g.emit(event.KindRollbackStarted, "", "", event.RollbackPayload{Point: "prep_done", Steps: []string{"prep/rollback-1"}}, time.Minute)
	g.emit(event.KindRollbackStepStart, "prep", "rollback-1", event.RollbackStepPayload{Point: "prep_done"}, ms)
	g.emit(event.KindRollbackStepPassed, "prep", "rollback-1", event.RollbackStepPayload{Point: "prep_done", Summary: "exit 0"}, 50*ms)
	g.emit(event.KindRollbackFinished, "", "", event.RollbackPayload{Point: "prep_done", OK: true}, ms)
	g.emit(event.KindNote, "", "", event.NotePayload{Text: "rolled back; retry tomorrow"}, 30*time.Second)
	g.emit(event.KindSessionClosed, "", "", event.ClosedPayload{Status: "quit"}, ms)
	if len(g.events) != n && copies > 0 {
		panic(fmt.Sprintf("synthetic session of %d events, want %d", len(g.events), n))
	}
	return g.events
}

func timeline(t testing.TB, n int) *Timeline {
	t.Helper()
	ev := synthetic(n)
	info := audit.SessionInfo{ID: "s1", Runbook: "orders-split", RunbookText: []byte(replayRunbook), RunbookSHA: "0123456789abcdef", Started: t0}
	return NewTimeline(parseRunbook(t), info, ev)
}

func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return r
}

// newModel is a replay of tl at w×h without colour, the chain intact.
func newModel(t testing.TB, tl *Timeline, w, h int) Model {
	t.Helper()
	m := New(tl, Options{Renderer: asciiRenderer(), AuditPath: "/srv/runway/orders.db",
		Chain: audit.Report{OK: true, Events: int64(tl.Len()), Sessions: 1}})
	return step(m, tea.WindowSizeMsg{Width: w, Height: h})
}

func step(m Model, msg tea.Msg) Model {
	next, _ := m.Update(msg)
	return next.(Model)
}

// press sends keys one by one ("space", "left", "right", "esc", "enter",
// "shift+right" or text).
func press(m Model, keys ...string) Model {
	for _, k := range keys {
		m = step(m, keyMsg(k))
	}
	return m
}

func keyMsg(k string) tea.KeyMsg {
	types := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "esc": tea.KeyEsc, "up": tea.KeyUp, "down": tea.KeyDown,
		"left": tea.KeyLeft, "right": tea.KeyRight, "space": tea.KeySpace, "home": tea.KeyHome,
		"end": tea.KeyEnd, "shift+right": tea.KeyShiftRight, "shift+left": tea.KeyShiftLeft,
		"backspace": tea.KeyBackspace,
	}
	if t, ok := types[k]; ok {
		if t == tea.KeySpace {
			return tea.KeyMsg{Type: t, Runes: []rune{' '}}
		}
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// foldOf is the reference: the fold of the first n events from scratch.
func foldOf(tl *Timeline, n int) fold.State {
	return fold.Fold(tl.Runbook(), tl.events[:n])
}

var rng = rand.New(rand.NewPCG(1, 2))

func sizeMsg(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

// writeLog stores a synthetic session in a real audit log at path: the
// session is created with the runbook text, then its events appended in
// batches with their own times.
func writeLog(tb testing.TB, path string, events []audit.Event) audit.SessionInfo {
	tb.Helper()
	l, err := audit.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	info, err := l.CreateSession(audit.SessionInfo{
		Runbook: "orders-split", RunbookPath: "orders.yaml", RunbookText: []byte(replayRunbook),
		Operator: "alice", Host: "db1", Started: events[0].Time, Status: "running",
	})
	if err != nil {
		tb.Fatal(err)
	}
	rest := make([]audit.Event, 0, len(events)-1)
	for _, e := range events[1:] {
		e.Seq, e.Session = 0, info.ID
		rest = append(rest, e)
	}
	for len(rest) > 0 {
		n := min(len(rest), 2000)
		if _, err := l.AppendBatch(rest[:n]); err != nil {
			tb.Fatal(err)
		}
		rest = rest[n:]
	}
	if err := l.SetSessionStatus(info.ID, "quit", events[len(events)-1].Time); err != nil {
		tb.Fatal(err)
	}
	return info
}
