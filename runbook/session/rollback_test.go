package session

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"runway/checks"
	"runway/runbook/fold"
)

// threePhases: one and two pass and set points; three fails critically.
// Each rollback step appends its phase to undo.txt.
const threePhases = `
version: 1
name: t
title: test
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: a, title: A, command: {run: "true"}}
    rollback:
      - {title: Undo one, command: {run: "echo one >> undo.txt"}}
    rollback_point: p1
  - id: two
    title: Two
    risk: low
    expected: 1h
    items:
      - {id: b, title: B, command: {run: "true"}}
    rollback:
      - {title: Undo two first, command: {run: "echo two-1 >> undo.txt"}}
      - {title: Undo two second, command: {run: "echo two-2 >> undo.txt; UNDO_TWO"}}
    rollback_point: p2
  - id: three
    title: Three
    risk: high
    expected: 1h
    items:
      - {id: c, title: C, command: {run: "true"}}
      - {id: d, title: D, critical: true, command: {run: "false"}}
    rollback:
      - {title: Undo three, command: {run: "echo three >> undo.txt"}}
`

func runToStop(t *testing.T, yaml string) *fixture {
	f := newFixture(t, yaml)
	for _, p := range []string{"one", "two", "three"} {
		f.do(RunPhase{Phase: p})
	}
	st := f.state()
	if st.Stop == nil || len(st.RollbackPoints) != 2 {
		t.Fatalf("setup: stop %+v, points %+v", st.Stop, st.RollbackPoints)
	}
	return f
}

func TestRollbackNewestFirst(t *testing.T) {
	f := runToStop(t, strings.Replace(threePhases, "; UNDO_TWO", "", 1))
	f.refused(Rollback{Point: "nope"}, "no rollback point")
	f.do(Rollback{Point: "p1"})
	undo, _ := os.ReadFile(filepath.Join(f.dir, "undo.txt"))
	if got, want := string(undo), "three\ntwo-1\ntwo-2\n"; got != want {
		t.Fatalf("rollback steps ran as %q, want %q (newest phase first)", got, want)
	}
	st := f.state()
	if st.Stop != nil || st.Rollback == nil || !st.Rollback.OK || st.Rollback.Done != 3 {
		t.Fatalf("stop %+v rollback %+v", st.Stop, st.Rollback)
	}
	if st.Phases[0].Status != fold.PhasePassed || st.Phases[1].Status != fold.PhaseRolledBack || st.Phases[2].Status != fold.PhaseRolledBack {
		t.Fatalf("phases %s %s %s", st.Phases[0].Status, st.Phases[1].Status, st.Phases[2].Status)
	}
	if f.item("b").Status != fold.ItemPending || f.item("d").Status != fold.ItemPending {
		t.Fatal("items after the point were not reset")
	}
	if len(st.RollbackPoints) != 1 || st.RollbackPoints[0].Name != "p1" {
		t.Fatalf("points %+v, want only p1", st.RollbackPoints)
	}
	f.refused(RunPhase{Phase: "three"}, "locked until two passes")
	f.do(RunPhase{Phase: "two"})
	if st := f.state(); st.Phases[1].Status != fold.PhasePassed || st.Point("p2") == nil {
		t.Fatalf("phase two could not run again: %s", st.Phases[1].Status)
	}
}

func TestRollbackStepFailureStops(t *testing.T) {
	f := runToStop(t, strings.Replace(threePhases, "UNDO_TWO", "false", 1))
	f.do(Rollback{Point: "p1"})
	st := f.state()
	if st.Rollback == nil || st.Rollback.OK || st.Rollback.Running {
		t.Fatalf("rollback %+v, want finished not ok", st.Rollback)
	}
	if st.Stop == nil || !strings.Contains(st.Stop.Reason, "two-rollback-2") || strings.Join(st.Stop.Choices, ",") != "rollback" {
		t.Fatalf("stop %+v, want one naming the failed step", st.Stop)
	}
	if !f.has("rollback.step.failed two-rollback-2") || !f.has("rollback.finished") {
		t.Fatalf("log: %v", f.kinds())
	}
	if st.Phases[1].Status != fold.PhasePassed {
		t.Fatalf("an unfinished rollback changed phase two to %s", st.Phases[1].Status)
	}
	f.refused(RunPhase{Phase: "three"}, "stop rule holds")
	f.refused(Retry{Item: "d"}, "stop rule holds")
}

func TestRollbackChecksTheLog(t *testing.T) {
	tests := []struct {
		name   string
		tamper string // SQL run on the log with the append-only triggers dropped
	}{
		{"point checksum edited", `UPDATE events SET payload = replace(payload, '"checksum":"sha256:', '"checksum":"sha256:0') WHERE kind = 'rollback_point.set'`},
		{"earlier verdict edited", `UPDATE events SET kind = 'item.skipped' WHERE kind = 'item.passed' AND item = 'a'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := runToStop(t, threePhases)
			db, err := sql.Open("sqlite", f.path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			for _, q := range []string{`DROP TRIGGER events_no_update`, tt.tamper} {
				if _, err := db.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			f.refused(Rollback{Point: "p1"}, "does not match the audit log")
			if f.has("rollback.started") {
				t.Fatal("a rollback started on a tampered point")
			}
		})
	}
}

func TestManualRollbackPoint(t *testing.T) {
	f := newFixture(t, strings.Replace(threePhases, "; UNDO_TWO", "", 1))
	f.do(RunPhase{Phase: "one"})
	f.do(SetRollbackPoint{Name: "before-two"})
	f.refused(SetRollbackPoint{Name: "before-two"}, "already exists")
	f.refused(SetRollbackPoint{Name: " "}, "needs a name")
	f.do(RunPhase{Phase: "two"})
	f.do(RunPhase{Phase: "three"})
	f.do(Rollback{Point: "before-two"})
	undo, _ := os.ReadFile(filepath.Join(f.dir, "undo.txt"))
	if got := string(undo); got != "three\ntwo-1\ntwo-2\n" {
		t.Fatalf("steps %q", got)
	}
	if st := f.state(); st.Phases[0].Status != fold.PhasePassed || st.Phases[1].Status != fold.PhaseRolledBack || st.Stop != nil {
		t.Fatalf("phases %s %s stop %+v", st.Phases[0].Status, st.Phases[1].Status, st.Stop)
	}
}

func TestManualRollbackStepWaitsForSignOff(t *testing.T) {
	yaml := strings.Replace(threePhases, `      - {title: Undo three, command: {run: "echo three >> undo.txt"}}`,
		`      - {id: restart-legacy, title: Start legacy again, role: sre, manual: {expect: "legacy reachable"}}
      - {title: Undo three, command: {run: "echo three >> undo.txt"}}`, 1)
	for _, verdict := range []checks.Verdict{checks.Pass, checks.Fail} {
		t.Run(string(verdict), func(t *testing.T) {
			f := runToStop(t, strings.Replace(yaml, "; UNDO_TWO", "", 1))
			if err := f.sess.Do(Rollback{Point: "p1"}); err != nil {
				t.Fatal(err)
			}
			waitFor(t, f.sess, "the manual step to wait", func(st fold.State) bool {
				return st.Phases[2].Rollback[0].Status == fold.ItemAwaiting
			})
			if f.sess.Idle() {
				t.Fatal("the session is idle while its rollback waits")
			}
			if err := f.sess.Do(RunPhase{Phase: "three"}); err == nil || !strings.Contains(err.Error(), "already running") {
				t.Fatalf("run phase during the rollback: %v", err)
			}
			now := time.Now()
			for _, bad := range []struct {
				so   checks.SignOff
				want string
			}{
				{checks.SignOff{Verdict: checks.Skip, Reason: "later", At: now}, "can't be skipped"},
				{checks.SignOff{Verdict: checks.Pass, Role: "dba", At: now}, "role sre must sign"},
			} {
				if err := f.sess.Do(SignOff{Item: "restart-legacy", SignOff: bad.so}); err == nil || !strings.Contains(err.Error(), bad.want) {
					t.Fatalf("sign-off %+v: %v, want %q", bad.so, err, bad.want)
				}
			}
			f.do(SignOff{Item: "restart-legacy", Actor: "carol", SignOff: checks.SignOff{Verdict: verdict, Role: "sre", At: now}})
			st := f.state()
			undo, _ := os.ReadFile(filepath.Join(f.dir, "undo.txt"))
			if verdict == checks.Pass {
				if !st.Rollback.OK || string(undo) != "three\ntwo-1\ntwo-2\n" || st.Phases[2].Rollback[0].Summary != "pass by carol (sre)" {
					t.Fatalf("rollback %+v, undo %q, step %+v", st.Rollback, undo, st.Phases[2].Rollback[0])
				}
				return
			}
			if st.Rollback.OK || len(undo) != 0 || st.Stop == nil || st.Stop.Item != "restart-legacy" {
				t.Fatalf("a failed manual step: rollback %+v, undo %q, stop %+v", st.Rollback, undo, st.Stop)
			}
		})
	}
}
