package session

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/fold"
)

// guardRunbook copies orders slowly while a guard watches legacy.db's
// health table; the item after the copy must not start once it breaches.
const guardRunbook = `
version: 1
name: t
title: guards
connections:
  legacy: {driver: sqlite, dsn: "legacy.db"}
  new: {driver: sqlite, dsn: "new.db"}
  ops: {driver: sqlite, dsn: "health.db"}
phases:
  - id: one
    title: One
    guards:
      - {id: errors, title: Error count, sql: {conn: ops, query: "SELECT errors FROM health"}, every: 1s, warn: "> 0", critical: "> 2"}
    items:
      - {id: copy-orders, title: Copy orders, copy: {from: legacy, to: new, tables: [orders], create: true, rate: 50}}
      - {id: after, title: After the copy, command: {run: "touch after"}}
`

// guardFixture is a session whose guards tick when the test says so.
type guardFixture struct {
	*fixture
	tick chan time.Time
}

func newGuardFixture(t *testing.T, dir, yaml string, env map[string]string) *guardFixture {
	t.Helper()
	g := &guardFixture{fixture: &fixture{t: t, dir: dir}, tick: make(chan time.Time)}
	g.rb = loadRunbook(t, dir, yaml, env)
	g.path = filepath.Join(dir, "runway.db")
	log, err := audit.Open(g.path)
	if err != nil {
		t.Fatal(err)
	}
	g.log = log
	t.Cleanup(func() { log.Close() })
	opts := Options{Operator: "alice", Host: "test",
		GuardTicker: func(time.Duration) (<-chan time.Time, func()) { return g.tick, func() {} }}
	if g.sess, err = Start(context.Background(), log, g.rb, opts); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.sess.Close(context.Background()) })
	return g
}

// evaluate lets guard id evaluate once more and waits until it has.
func (g *guardFixture) evaluate(id string) {
	g.t.Helper()
	n := g.sess.guards.board.evaluations(id)
	select {
	case g.tick <- time.Now():
	case <-time.After(30 * time.Second):
		g.t.Fatalf("guard %s never waited for its tick", id)
	}
	g.until("guard "+id+" evaluated", func(fold.State) bool { return g.sess.guards.board.evaluations(id) > n })
}

// until polls the state until ok holds, with a generous deadline.
func (g *guardFixture) until(what string, ok func(fold.State) bool) fold.State {
	g.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		st := g.sess.State()
		if ok(st) {
			return st
		}
		if time.Now().After(deadline) {
			g.t.Fatalf("%s: not after 30s; state %+v", what, st.Guards)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (g *guardFixture) events() []audit.Event {
	g.t.Helper()
	events, err := g.log.Events(context.Background(), g.sess.ID(), 0)
	if err != nil {
		g.t.Fatal(err)
	}
	return events
}

func execSQL(t *testing.T, dir, file, q string) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("PRAGMA busy_timeout = 20000"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(q); err != nil {
		t.Fatal(err)
	}
}

func TestGuardCriticalHaltsPhaseAndPausesEngine(t *testing.T) {
	dir := t.TempDir()
	seedOrders(t, dir, 100000)
	execSQL(t, dir, "health.db", `CREATE TABLE health (errors INTEGER); INSERT INTO health VALUES (0)`)
	g := newGuardFixture(t, dir, guardRunbook, nil)
	if ev := g.sess.guards.board.evaluations("errors"); ev != 0 {
		t.Fatalf("a phase guard ran before its phase: %d evaluations", ev)
	}
	if err := g.sess.Do(RunPhase{Phase: "one"}); err != nil {
		t.Fatal(err)
	}
	g.until("copy running", func(fold.State) bool { return g.sess.controls.get("copy-orders") != nil })
	g.until("guard sampled", func(fold.State) bool { return g.sess.guards.board.evaluations("errors") > 0 })

	execSQL(t, dir, "health.db", `UPDATE health SET errors = 5`)
	g.evaluate("errors")
	st := g.until("stop", func(st fold.State) bool { return st.Stop != nil })
	if st.Stop.Guard != "errors" || !strings.Contains(st.Stop.Reason, "guard errors critical: 5 (breached > 2)") {
		t.Errorf("stop = %+v", st.Stop)
	}
	if st.Phases[0].Status != fold.PhaseHalted {
		t.Errorf("phase %s, want halted", st.Phases[0].Status)
	}
	if gs := st.Guard("errors"); gs.State != event.GuardCritical || gs.Value != "5" || gs.Threshold != "> 2" {
		t.Errorf("guard state = %+v", gs)
	}
	if !g.sess.controls.get("copy-orders").Paused() {
		t.Error("the copy was not paused")
	}
	paused := false
	for _, e := range g.events() {
		if e.Kind == event.KindEngineControl && e.Actor == "guard:errors" && e.Item == "copy-orders" && strings.Contains(string(e.Payload), `"pause"`) {
			paused = true
		}
	}
	if !paused {
		t.Error("no engine.control pause by guard:errors in the log")
	}

	// An observer can't acknowledge; a reason is needed; the breach recovers.
	if err := g.sess.DoAs(Participant{Name: "olga", Role: RoleObserver}, AcknowledgeGuard{Actor: "olga", Guard: "errors", Reason: "seen"}); err == nil {
		t.Error("an observer acknowledged a guard")
	}
	if err := g.sess.Do(AcknowledgeGuard{Guard: "errors"}); err == nil {
		t.Error("acknowledged without a reason")
	}
	execSQL(t, dir, "health.db", `UPDATE health SET errors = 0`)
	g.evaluate("errors")
	g.until("recovered", func(st fold.State) bool { return st.Guard("errors").State == event.GuardOK })
	if st := g.sess.State(); st.Stop == nil || !g.sess.controls.get("copy-orders").Paused() {
		t.Fatal("a recovery lifted the stop or resumed the engine by itself")
	}
	if err := g.sess.Do(RunPhase{Phase: "one"}); err == nil {
		t.Error("the phase ran on while the guard's stop held")
	}
	if it := g.item("after"); it.Status != fold.ItemPending {
		t.Errorf("item after the copy is %s while the stop holds", it.Status)
	}

	// The lead acknowledges and resumes: the copy ends and the phase goes on.
	if err := g.sess.Do(AcknowledgeGuard{Guard: "errors", Reason: "spike was the nightly batch"}); err != nil {
		t.Fatal(err)
	}
	if err := g.sess.Do(SetRate{Item: "copy-orders", Rate: 0}); err != nil {
		t.Fatal(err)
	}
	if err := g.sess.Do(ResumeEngine{Item: "copy-orders"}); err != nil {
		t.Fatal(err)
	}
	g.idle()
	if st := g.sess.State(); st.Stop != nil || g.item("after").Status != fold.ItemPassed {
		t.Fatalf("after acknowledging: stop %+v, after %s", st.Stop, g.item("after").Status)
	}
	final := g.sess.State()
	changes := final.Guard("errors").Changes
	var seq []string
	for _, c := range changes {
		seq = append(seq, c.From+">"+c.To)
	}
	if got := strings.Join(seq, " "); got != "ok>critical critical>ok ok>ok" {
		t.Errorf("changes %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "after")); err != nil {
		t.Error("the item after the copy did not run once acknowledged")
	}
}
