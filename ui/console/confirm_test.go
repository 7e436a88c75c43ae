package console

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
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

// riskyRunbook has a medium-risk phase whose critical command leaves a mark,
// and a high-risk phase whose critical command leaves another.
const riskyRunbook = `
version: 1
name: risky
title: A risky change
phases:
  - id: prep
    title: Preparation
    risk: medium
    expected: 1h
    items:
      - {id: mark, title: Leave a mark, critical: true, command: {run: "touch ran-prep"}}
  - id: cutover
    title: Cut-over
    risk: high
    expected: 1h
    items:
      - {id: switch, title: Switch the application, critical: true, command: {run: "touch ran-cutover"}}
`

// sentence is what a lead types believing a text field has the keyboard.
const sentence = "Run it later, finance not on bridge"

// realSession starts a real session on riskyRunbook in a temporary folder.
func realSession(t *testing.T) (*session.Session, *audit.Log, string) {
	t.Helper()
	dir := t.TempDir()
	rb := fixture.Runbook(t, filepath.Join(dir, "runbook.yaml"), riskyRunbook)
	log, err := audit.Open(filepath.Join(dir, "runway.db"))
	if err != nil {
		t.Fatal(err)
	}
	sess, err := session.Start(context.Background(), log, rb, session.Options{Operator: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = sess.Close(context.Background())
		_ = log.Close()
	})
	return sess, log, dir
}

// actionKinds lists the kinds of events recorded that are not the session's
// own opening or closing: what an action left in the log.
func actionKinds(t *testing.T, log *audit.Log, id string) []string {
	t.Helper()
	events, err := log.Events(context.Background(), id, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range events {
		if !strings.HasPrefix(e.Kind, "session.") {
			kinds = append(kinds, e.Kind)
		}
	}
	return kinds
}

// program runs a console on src as a program at 80×24.
func program(t *testing.T, src Source) (*teatest.TestModel, func(...string)) {
	t.Helper()
	m := New(src, Options{Renderer: asciiRenderer(), Operator: "alice", AuditPath: "runway.db"})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { _ = tm.Quit() })
	wait := waitShown(t, tm.Output())
	return tm, wait
}

// TestTypeAheadNeverActs: a sentence typed at the item list key by key, then
// an enter, then the same sentence pasted, leave no action in the audit log
// and run nothing.
func TestTypeAheadNeverActs(t *testing.T) {
	sess, log, dir := realSession(t)
	tm, wait := program(t, sess)
	wait("ITEMS · Preparation", "enter run")
	tm.Type(sentence) // one key message per letter; R opens the confirmation at once
	wait("Run phase prep", "No, cancel", "choose with tab or the arrow keys")
	tm.Send(keyMsg("enter"))
	wait("not done: run phase prep cancelled")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(sentence), Paste: true})
	wait("pasted text ignored")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(sentence)}) // one read of many keys, no bracketed paste
	wait("Run phase prep")
	tm.Send(keyMsg("esc"))
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(20*time.Second))
	if kinds := actionKinds(t, log, sess.ID()); len(kinds) > 0 {
		t.Errorf("typed and pasted text recorded %v", kinds)
	}
	if _, err := os.Stat(filepath.Join(dir, "ran-prep")); err == nil {
		t.Error("typed text ran the phase")
	}
}

// TestConfirmDefaultNo: running a phase and a critical command both ask, and
// enter on the question as it opens answers No; Yes then runs the item.
func TestConfirmDefaultNo(t *testing.T) {
	sess, log, dir := realSession(t)
	tm, wait := program(t, sess)
	wait("ITEMS · Preparation", "enter run")
	tm.Type("R")
	wait("Run a phase", "1. mark (command · critical · acts) Leave a mark", "› No, cancel")
	tm.Send(keyMsg("enter"))
	wait("not done: run phase prep cancelled")
	tm.Send(keyMsg("enter"))
	wait("Run a critical item", "Run prep/mark now?", "› No, cancel")
	tm.Send(keyMsg("enter"))
	wait("not done: run mark cancelled")
	if kinds := actionKinds(t, log, sess.ID()); len(kinds) > 0 {
		t.Fatalf("enter on the default No recorded %v", kinds)
	}
	tm.Send(keyMsg("enter"))
	wait("Run prep/mark now?")
	tm.Send(keyMsg("tab"))
	tm.Send(keyMsg("enter"))
	wait("ITEMS · Cut-over") // prep passed and the console followed the session
	if _, err := os.Stat(filepath.Join(dir, "ran-prep")); err != nil {
		t.Errorf("yes did not run the item: %v", err)
	}
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(20*time.Second))
}

// TestHighRiskTypesID: a high-risk phase runs only once its id is typed: a
// wrong id is refused and runs nothing, the right one runs it.
func TestHighRiskTypesID(t *testing.T) {
	sess, log, dir := realSession(t)
	if err := sess.Do(session.RunPhase{Phase: "prep", Actor: "alice"}); err != nil {
		t.Fatal(err)
	}
	tm, wait := program(t, sess)
	wait("ITEMS · Cut-over")
	before := len(actionKinds(t, log, sess.ID()))
	tm.Type("R")
	wait("This is high risk. Type cutover to run phase cutover")
	tm.Send(keyMsg("tab")) // no choice to move to: only the id answers
	tm.Type("cutvoer")
	tm.Send(keyMsg("enter"))
	wait("type cutover exactly to confirm")
	if got := len(actionKinds(t, log, sess.ID())); got != before {
		t.Fatalf("a wrong id recorded %d events", got-before)
	}
	tm.Send(keyMsg("esc"))
	wait("not done: run phase cutover cancelled")
	tm.Type("R")
	wait("Type cutover to run phase cutover")
	tm.Type("cutover")
	tm.Send(keyMsg("enter"))
	wait("state: ✓ passed") // the session is idle again: q quits without asking
	if _, err := os.Stat(filepath.Join(dir, "ran-cutover")); err != nil {
		t.Errorf("the typed id did not run the phase: %v", err)
	}
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(20*time.Second))
}

// TestSignOffOpensAtOnce: s on a manual item that has not started opens the
// sign-off at once (no "press enter first"); the text typed goes into it, and
// sending it starts the item, then signs it off.
func TestSignOffOpensAtOnce(t *testing.T) {
	f := opened()
	f.emit("alice", event.KindPhaseStarted, "preparation", "", nil)
	pass(f, "preparation", "target-up", "SELECT 1 = 1")
	f.react = func(f *fakeCore, a session.Action) {
		if a, ok := a.(session.RunItem); ok {
			f.emit(a.Actor, event.KindItemAwaiting, a.Phase, a.Item, nil)
		}
	}
	m := newModel(t, f, 80, 24)
	if m.selected().item.ID != "backups" {
		t.Fatalf("selected %s", m.selected().item.ID)
	}
	m, _ = press(t, m, "s")
	if _, ok := m.dialog.(textDialog); !ok {
		t.Fatalf("s did not open the sign-off: %s", m.status.text)
	}
	m = typeText(m, "Nope, all good")
	if len(f.actions) > 0 || !strings.Contains(m.View(), "Nope, all good") {
		t.Fatalf("typed text left the dialog: actions %v\n%s", f.actions, m.View())
	}
	next, cmd := m.Update(keyMsg("enter"))
	m = next.(Model)
	runAll(m, cmd)
	var names []string
	for _, a := range f.actions {
		names = append(names, a.ActionName())
	}
	if got := strings.Join(names, ","); got != "run item,sign off" {
		t.Errorf("actions = %s, want run item,sign off", got)
	}
}

// runAll runs a command and, for a sequence or batch, each of its commands in order.
func runAll(m Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	msg := cmd()
	v := reflect.ValueOf(msg)
	if v.Kind() == reflect.Slice {
		for i := range v.Len() {
			if c, ok := v.Index(i).Interface().(tea.Cmd); ok {
				runAll(m, c)
			}
		}
	}
}

// TestPasteIsNotKeys: a paste at the item list is never read as keys.
func TestPasteIsNotKeys(t *testing.T) {
	f := stopped()
	m := newModel(t, f, 80, 24)
	m = step(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("o"), Paste: true})
	if m.dialog != nil || !strings.Contains(m.View(), "pasted text ignored") {
		t.Fatalf("a pasted o opened a dialog or went unexplained:\n%s", m.View())
	}
	m = step(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("r"), Paste: true})
	wantNoAction(t, f)
}

// TestConfirmFitsItsAnswer: a phase of many items still shows its answer at
// 80×24, and says how many item lines it left out.
func TestConfirmFitsItsAnswer(t *testing.T) {
	m := newModel(t, newFake(bigRunbook(2, 30)), 80, 24)
	m, _ = press(t, m, "R")
	v := m.View()
	for _, s := range []string{"Run phase phase-1", "1. item-001 (command · critical · acts)", "more lines not shown", "› No, cancel", "Yes, run phase phase-1"} {
		if !strings.Contains(v, s) {
			t.Errorf("the confirmation lacks %q:\n%s", s, v)
		}
	}
	if n := strings.Count(v, "\n") + 1; n != 24 {
		t.Errorf("the screen has %d rows, want 24", n)
	}
}

// TestRetryOfACriticalCommandAsks: a retry runs the item again, so a failed
// critical command in a high-risk phase is retried only once its id is typed.
func TestRetryOfACriticalCommandAsks(t *testing.T) {
	f := prepared()
	f.emit("alice", event.KindPhaseStarted, "pilot", "", nil)
	pass(f, "pilot", "copy-orders", "copied 250,000 rows")
	pass(f, "pilot", "verify-orders", "all rows match")
	pass(f, "pilot", "smoke", "pass by carol (support)")
	f.emit("alice", event.KindPhasePassed, "pilot", "", nil)
	f.emit("alice", event.KindPhaseStarted, "cutover", "", nil)
	pass(f, "cutover", "catchup", "converged")
	f.emit("alice", event.KindItemStarted, "cutover", "switch", event.StartedPayload{Attempt: 1})
	f.emit("alice", event.KindItemFailed, "cutover", "switch", event.ResultPayload{Attempt: 1, Summary: "exit 1"})
	f.emit("alice", event.KindPhaseHalted, "cutover", "", event.PhasePayload{Reason: "switch failed"})
	f.emit("alice", event.KindStopTriggered, "cutover", "switch", event.StopPayload{Reason: "exit 1", Choices: []string{"retry", "rollback"}})
	m := newModel(t, f, 80, 24)
	m, _ = press(t, m, "r")
	if !strings.Contains(m.View(), "Type switch to retry switch") {
		t.Fatalf("r retried without asking:\n%s", m.View())
	}
	m = typeText(m, "retry it now")
	m, _ = press(t, m, "enter")
	wantNoAction(t, f)
	m, _ = press(t, m, "esc", "r")
	m = typeText(m, "switch")
	_, _ = press(t, m, "enter")
	wantAction(t, f, session.Retry{Actor: "alice", Item: "switch"})
}
