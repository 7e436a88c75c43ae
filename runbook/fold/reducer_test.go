package fold

import (
	"encoding/json"
	"testing"
	"time"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/event"
)

// runbookThreePhases has items, rollback steps and a procedure in each of
// the places an event can name.
var runbookThreePhases = runbook.Runbook{
	Name: "three",
	Phases: []runbook.Phase{
		{ID: "one", Items: []runbook.Item{{ID: "a"}, {ID: "b", Critical: true}}, RollbackPoint: "p1"},
		{ID: "two", Items: []runbook.Item{{ID: "c"}}, Rollback: []runbook.Item{{ID: "two-rollback-1"}}},
		{ID: "three", Items: []runbook.Item{{ID: "d", Critical: true}}},
	},
	Procedures: []runbook.Procedure{{ID: "data", Steps: []string{"pause", "compare", "repair"}}},
}

// runbookForFuzz is a small runbook built in code, for the fuzz target.
var runbookForFuzz = runbook.Runbook{
	Name: "fuzz",
	Phases: []runbook.Phase{
		{ID: "one", Items: []runbook.Item{{ID: "a"}}, Rollback: []runbook.Item{{ID: "one-rollback-1"}}},
		{ID: "three", Items: []runbook.Item{{ID: "c"}, {ID: "d", Critical: true}}},
	},
	Procedures: []runbook.Procedure{{ID: "x", Steps: []string{"a", "b"}}},
}

func TestApplyNeverPanics(t *testing.T) {
	rb := &runbookThreePhases
	payloads := []string{
		``, `null`, `{}`, `[]`, `"x"`, `42`, `{"attempt":"x"}`, `{"attempt":-5}`,
		`{"step":99999999999}`, `{"step":-1,"procedure":"p"}`, `{"choices":null,"reason":7}`,
		`{"name":"p1","checksum":""}`, `{"point":"p1","ok":true}`, `{"table":null}`, `{"engine":{"tables":[{}]}}`,
		`{"signoff":null}`, `{not json`, `{"rate":-1,"action":"rate"}`, `{"procedure":"data","step":3}`,
	}
	kinds := []string{
		event.KindSessionOpened, event.KindSessionResumed, event.KindSessionClosed, event.KindPhaseStarted, event.KindPhasePassed, event.KindPhaseHalted,
		event.KindItemStarted, event.KindItemAwaiting, event.KindItemPassed, event.KindItemFailed, event.KindItemSkipped, event.KindItemInterrupted,
		event.KindItemRetrying, event.KindOverrideRequested, event.KindOverrideApproved, event.KindOverrideRejected, event.KindItemOverridden,
		event.KindStopTriggered, event.KindStopCleared, event.KindNote, event.KindRollbackPointSet, event.KindRollbackStarted,
		event.KindRollbackStepStart, event.KindRollbackStepAwait, event.KindRollbackStepPassed, event.KindRollbackStepFailed, event.KindRollbackFinished,
		event.KindEngineProgress, event.KindEngineCheckpoint, event.KindEngineControl, event.KindIncidentOpened, event.KindIncidentStep,
		event.KindIncidentClosed, event.KindActionRefused, event.KindControlHanded, "unknown.kind", "",
	}
	places := [][2]string{{"", ""}, {"one", ""}, {"three", "d"}, {"two", "two-rollback-1"}, {"nope", "zz"}, {"", "a"}}
	st := NewState(rb)
	var seq int64
	for _, k := range kinds {
		for _, p := range payloads {
			for _, pl := range places {
				seq++
				st.Apply(audit.Event{Seq: seq, Kind: k, Phase: pl[0], Item: pl[1], Payload: json.RawMessage(p), Time: time.Unix(seq, 0)})
			}
		}
	}
	if st.Events != seq {
		t.Fatalf("%d events counted, want %d", st.Events, seq)
	}
	// Fold of nothing on no runbook is usable too.
	empty := Fold(nil, []audit.Event{{Kind: event.KindPhasePassed, Phase: "x"}})
	if empty.AllPassed() {
		t.Fatal("a state without phases passed")
	}
}

func FuzzApply(f *testing.F) {
	f.Add("item.passed", "three", "d", `{"attempt":1}`)
	f.Add("rollback.finished", "", "", `{"point":"p1","ok":true}`)
	f.Add("incident.step", "", "", `{"procedure":"x","step":5}`)
	rb := &runbookForFuzz
	f.Fuzz(func(t *testing.T, kind, phase, item, payload string) {
		st := NewState(rb)
		st.Apply(audit.Event{Seq: 1, Kind: event.KindRollbackPointSet, Phase: "one", Payload: json.RawMessage(`{"name":"p1"}`)})
		st.Apply(audit.Event{Seq: 2, Kind: kind, Phase: phase, Item: item, Payload: json.RawMessage(payload)})
		_ = StateChecksum(st)
		_ = st.Clone()
	})
}
