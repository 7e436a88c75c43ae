package event

import (
	"encoding/json"
	"strings"
	"testing"

	"runway/runbook/audit"
)

// Every kind the executor writes has words of its own: none falls back to
// its bare name (a note is called a note), so the plain runner, watch, replay and the report never
// show a raw kind for an event they should know.
func TestEveryKindHasWords(t *testing.T) {
	kinds := []string{
		KindSessionOpened, KindSessionResumed, KindSessionClosed, KindPhaseStarted, KindPhasePassed, KindPhaseHalted,
		KindItemStarted, KindItemAwaiting, KindItemPassed, KindItemFailed, KindItemSkipped, KindItemInterrupted,
		KindItemRetrying, KindItemProcess, KindOverrideRequested, KindOverrideApproved, KindOverrideRejected,
		KindItemOverridden, KindStopTriggered, KindStopCleared, KindNote, KindRollbackPointSet, KindRollbackStarted,
		KindRollbackStepStart, KindRollbackStepAwait, KindRollbackStepPassed, KindRollbackStepFailed,
		KindRollbackFinished, KindEngineProgress, KindEngineCheckpoint, KindEngineControl, KindIncidentOpened,
		KindIncidentStep, KindIncidentClosed, KindActionRefused, KindControlHanded, KindEnginePlan,
	}
	for _, k := range kinds {
		w := Describe(audit.Event{Kind: k, Payload: json.RawMessage(`{}`)})
		if w.What == "" || w.What == k && k != KindNote {
			t.Errorf("%s reads %+v", k, w)
		}
	}
}

func TestDescribe(t *testing.T) {
	for _, c := range []struct {
		kind, actor, payload string
		want                 Words
	}{
		{KindItemFailed, "alice", `{"summary":"exit 3","critical":true}`, Words{"FAILED", "exit 3"}},
		{KindItemFailed, "alice", `{"summary":"exit 3"}`, Words{"failed (warning)", "exit 3"}},
		{KindSessionClosed, "alice", `{"status":"passed","warnings":2}`, Words{"closed", "passed with 2 warnings"}},
		{KindSessionResumed, "bob", `{"host":"ops-1"}`, Words{"resumed", "by bob on ops-1"}},
		{KindItemOverridden, "alice", `{"reason":"known","requested_by":"alice","approved_by":"bob"}`, Words{"overridden", "by alice, approved by bob: known"}},
		{KindRollbackStarted, "alice", `{"point":"p1","steps":["two/undo"]}`, Words{"rollback started", "to p1: 1 step two/undo"}},
		{KindEngineProgress, "", `{"table":"orders","done":1204,"total":40000,"rows_per_sec":2000,"eta_ms":1500}`,
			Words{"progress", "orders 1,204/40,000 rows, 2,000 rows/s, ETA 1.5s"}},
		{KindEngineCheckpoint, "", `{"table":"user","rows":1,"done":true}`, Words{"table done", "user: 1 row"}},
		{KindEngineCheckpoint, "", `{"table":"user","rows":1200}`, Words{"checkpoint", "user: 1,200 rows"}},
		{KindEngineProgress, "", `{"table":"user","done":1,"total":1}`, Words{"progress", "user 1/1 row, 0 rows/s"}},
		{KindIncidentStep, "carol", `{"procedure":"data","step":2,"note":"paused"}`, Words{"incident step done", "data step 2 by carol: paused"}},
		{"shiny.new.kind", "erin", `{"colour":"blue","n":2}`, Words{"shiny.new.kind", "colour=blue n=2"}},
	} {
		got := Describe(audit.Event{Kind: c.kind, Actor: c.actor, Payload: json.RawMessage(c.payload)})
		if got != c.want {
			t.Errorf("%s %s: %+v, want %+v", c.kind, c.payload, got, c.want)
		}
	}
	if w := Describe(audit.Event{Kind: KindNote, Actor: "a", Payload: json.RawMessage(`{not json`)}); !strings.HasPrefix(w.Detail, "a: ") {
		t.Errorf("unreadable note: %+v", w)
	}
}
