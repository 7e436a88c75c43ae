package plain

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/fold"
	"runway/runbook/session"
)

// start writes the runbook into a temporary folder and starts a session on it.
func start(t *testing.T, yaml string) (*session.Session, *audit.Log, string) {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "runbook.yaml")
	if err := os.WriteFile(file, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	rb, err := runbook.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	log, err := audit.Open(filepath.Join(dir, "runway.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { log.Close() })
	sess, err := session.Start(context.Background(), log, rb, session.Options{Operator: "alice", Host: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return sess, log, dir
}

func kinds(t *testing.T, log *audit.Log, id string) string {
	t.Helper()
	events, err := log.Events(context.Background(), id, 0)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range events {
		b.WriteString(e.Kind + " " + e.Item + "\n")
	}
	return b.String()
}

const failing = `
version: 1
name: t
title: A failing critical item
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: a, title: A, command: {run: "echo a"}}
      - {id: b, title: B, critical: true, command: {run: "test -e fixed"}}
      - {id: c, title: C, command: {run: "touch c.marker"}}
`

func TestCriticalFailureExitsOne(t *testing.T) {
	sess, log, dir := start(t, failing)
	var out bytes.Buffer
	code := Run(context.Background(), sess, strings.NewReader(""), &out, "")
	if code != ExitStopped {
		t.Fatalf("exit %d, want 1; output:\n%s", code, out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "c.marker")); err == nil {
		t.Fatal("the third item ran after the critical failure")
	}
	if k := kinds(t, log, sess.ID()); !strings.Contains(k, "stop.triggered b") || !strings.Contains(k, "session.closed") {
		t.Fatalf("log:\n%s", k)
	}
	for _, want := range []string{"one/a  passed  exit 0", "one/b  FAILED", "one/b  STOP  critical item b failed", "session  closed  stopped"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestInteractiveStopRetryThenOverride(t *testing.T) {
	sess, log, _ := start(t, failing)
	var out bytes.Buffer
	// retry (still failing), an unknown key (asked again), then override.
	in := strings.NewReader("r\nx\no\n\nchecked by hand\n")
	code := Driver{In: in, Out: &out, Interactive: true}.Run(context.Background(), sess)
	if code != ExitPassed {
		t.Fatalf("exit %d, want 0; output:\n%s", code, out.String())
	}
	if !strings.Contains(out.String(), "stopped at one/b [r retry / o override / q quit]: ") {
		t.Fatalf("no stop prompt:\n%s", out.String())
	}
	k := kinds(t, log, sess.ID())
	if strings.Count(k, "item.failed b") != 2 || !strings.Contains(k, "item.overridden b") {
		t.Fatalf("log:\n%s", k)
	}
	if !strings.Contains(out.String(), "overridden  by alice: checked by hand") {
		t.Fatalf("output:\n%s", out.String())
	}
}

const signoffs = `
version: 1
name: t
title: Sign-offs
phases:
  - id: prep
    title: Prep
    risk: low
    expected: 1h
    items:
      - id: backups
        title: Backups restorable
        critical: true
        role: dba
        instructions: Restore last night's dump on the scratch host.
        manual: {expect: "restore test passed", observe: true}
      - {id: look, title: Dashboards look normal, manual: {expect: "no red"}}
      - {id: done, title: Done, command: {run: "true"}}
`

func TestSignOffsOnStdin(t *testing.T) {
	sess, log, _ := start(t, signoffs)
	var out bytes.Buffer
	in := strings.NewReader("maybe\ny\nrestored 1,204 rows\ns\nnot today\n")
	code := Run(context.Background(), sess, in, &out, "")
	if code != ExitPassed {
		t.Fatalf("exit %d, want 0; output:\n%s", code, out.String())
	}
	o := out.String()
	for _, want := range []string{
		`sign off "Backups restorable" as dba [y pass / n fail / s skip]: `,
		"  expect: restore test passed",
		"observation (what you saw): ",
		"prep/backups  passed  pass by alice (dba): restored 1,204 rows",
		"sign off \"Backups restorable\" as dba [y pass / n fail / s skip]: maybe\n",
		"sign off \"Dashboards look normal\" [y pass / n fail / s skip]: s\nreason for skipping: not today\n",
		"prep/look  skipped  not today",
		"session  closed  passed",
	} {
		if !strings.Contains(o, want) {
			t.Fatalf("output lacks %q:\n%s", want, o)
		}
	}
	// The session goes on after each sign-off by itself: line mode asks for
	// no second run, so nothing is refused and nothing starts twice.
	k := kinds(t, log, sess.ID())
	if !strings.Contains(k, "item.passed done") || strings.Contains(k, "action.refused") ||
		strings.Count(k, "item.awaiting look") != 1 || strings.Count(k, "item.started done") != 1 {
		t.Fatalf("log:\n%s", k)
	}
}

func TestNoAnswerExitsOne(t *testing.T) {
	sess, _, _ := start(t, signoffs)
	var out bytes.Buffer
	if code := Run(context.Background(), sess, strings.NewReader(""), &out, ""); code != ExitStopped {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(out.String(), "prep/backups still waits for its sign-off") {
		t.Fatalf("output:\n%s", out.String())
	}
	if st := sess.State(); st.Item("prep", "backups").Status != fold.ItemAwaiting || st.Status != fold.StatusClosed {
		t.Fatalf("backups %s, status %s", st.Item("prep", "backups").Status, st.Status)
	}
}

func TestCancelClosesResumably(t *testing.T) {
	sess, _, _ := start(t, strings.Replace(failing, `command: {run: "echo a"}`, `command: {run: "sleep 30"}`, 1))
	ctx, cancel := context.WithCancel(context.Background())
	wake, stop := sess.Subscribe()
	defer stop()
	go func() {
		for range wake {
			if it := sess.State().Item("one", "a"); it != nil && it.Status == fold.ItemRunning {
				cancel()
				return
			}
		}
	}()
	var out bytes.Buffer
	if code := Run(ctx, sess, strings.NewReader(""), &out, ""); code != ExitStopped {
		t.Fatalf("exit %d", code)
	}
	if st := sess.State(); st.Item("one", "a").Status != fold.ItemInterrupted {
		t.Fatalf("a is %s", st.Item("one", "a").Status)
	}
	if !strings.Contains(out.String(), "one/a  interrupted") {
		t.Fatalf("output:\n%s", out.String())
	}
}

const rollbacks = `
version: 1
name: t
title: Roll back
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: a, title: A, command: {run: "true"}}
    rollback_point: p1
  - id: two
    title: Two
    risk: high
    expected: 1h
    items:
      - {id: copy, title: Copy, command: {run: "echo copied >> work.txt"}}
      - {id: verify, title: Verify, critical: true, command: {run: "false"}}
    rollback:
      - {id: restart, title: Start legacy again, role: sre, manual: {expect: "legacy reachable"}}
      - {id: undo, title: Undo the copy, command: {run: "rm work.txt"}}
`

func TestInteractiveRollback(t *testing.T) {
	sess, log, dir := start(t, rollbacks)
	var out bytes.Buffer
	// roll back, confirm the manual step; the phase runs again, fails again; quit.
	in := strings.NewReader("b\nmaybe\ny\nq\n")
	code := Driver{In: in, Out: &out, Interactive: true, Echo: true}.Run(context.Background(), sess)
	if code != ExitStopped {
		t.Fatalf("exit %d, want 1; output:\n%s", code, out.String())
	}
	o := out.String()
	for _, want := range []string{
		"stopped at two/verify [r retry / o override / b roll back to p1 / q quit]: b\n",
		"session  rollback started  to p1: 2 steps two/restart, two/undo",
		`rollback step "Start legacy again" done as sre? [y done / n failed]: maybe`,
		"two/restart  rollback step passed  pass by alice (sre)",
		"two/undo  rollback step passed",
		"session  rollback finished  back at p1",
	} {
		if !strings.Contains(o, want) {
			t.Fatalf("output lacks %q:\n%s", want, o)
		}
	}
	if k := kinds(t, log, sess.ID()); strings.Count(k, "item.started copy") != 2 || !strings.Contains(k, "rollback.finished") {
		t.Fatalf("log:\n%s", k)
	}
	// The copy ran again after the rollback removed its work.
	if b, _ := os.ReadFile(filepath.Join(dir, "work.txt")); string(b) != "copied\n" {
		t.Fatalf("work.txt = %q", b)
	}
}
