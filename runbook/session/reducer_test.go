package session

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"runway/runbook/audit"
)

// The live state must equal the fold of the log it wrote: the console, a
// watcher and a replay all rely on it.
func TestFoldOfLogEqualsLiveState(t *testing.T) {
	f := runToStop(t, strings.Replace(threePhases, "; UNDO_TWO", "", 1))
	f.do(Note{Text: "rolling back: d fails on the new side"})
	f.do(Rollback{Point: "p1"})
	f.do(RunPhase{Phase: "two"})
	live := f.state()
	events, err := f.log.Events(context.Background(), f.sess.ID(), 0)
	if err != nil {
		t.Fatal(err)
	}
	folded := Fold(f.rb, events)
	if !reflect.DeepEqual(live, folded) {
		t.Fatalf("live state and fold differ:\nlive   %+v\nfolded %+v", live, folded)
	}
	if StateChecksum(live) != StateChecksum(folded) {
		t.Fatal("checksums differ")
	}
	// Clone is deep: changing the copy leaves the original alone.
	c := live.Clone()
	c.Phases[0].Items[0].Status = ItemFailed
	c.Notes[0].Text = "changed"
	c.Actors[0] = "mallory"
	if !reflect.DeepEqual(live, folded) {
		t.Fatal("changing a clone changed the original")
	}
}

func TestApplyNeverPanics(t *testing.T) {
	rb := loadRunbook(t, t.TempDir(), threePhases, nil)
	payloads := []string{
		``, `null`, `{}`, `[]`, `"x"`, `42`, `{"attempt":"x"}`, `{"attempt":-5}`,
		`{"step":99999999999}`, `{"step":-1,"procedure":"p"}`, `{"choices":null,"reason":7}`,
		`{"name":"p1","checksum":""}`, `{"point":"p1","ok":true}`, `{"table":null}`, `{"engine":{"tables":[{}]}}`,
		`{"signoff":null}`, `{not json`, `{"rate":-1,"action":"rate"}`, `{"procedure":"data","step":3}`,
	}
	kinds := []string{
		KindSessionOpened, KindSessionResumed, KindSessionClosed, KindPhaseStarted, KindPhasePassed, KindPhaseHalted,
		KindItemStarted, KindItemAwaiting, KindItemPassed, KindItemFailed, KindItemSkipped, KindItemInterrupted,
		KindItemRetrying, KindOverrideRequested, KindOverrideApproved, KindOverrideRejected, KindItemOverridden,
		KindStopTriggered, KindStopCleared, KindNote, KindRollbackPointSet, KindRollbackStarted,
		KindRollbackStepStart, KindRollbackStepAwait, KindRollbackStepPassed, KindRollbackStepFailed, KindRollbackFinished,
		KindEngineProgress, KindEngineCheckpoint, KindEngineControl, KindIncidentOpened, KindIncidentStep,
		KindIncidentClosed, KindActionRefused, KindControlHanded, "unknown.kind", "",
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
	empty := Fold(nil, []audit.Event{{Kind: KindPhasePassed, Phase: "x"}})
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
		st.Apply(audit.Event{Seq: 1, Kind: KindRollbackPointSet, Phase: "one", Payload: json.RawMessage(`{"name":"p1"}`)})
		st.Apply(audit.Event{Seq: 2, Kind: kind, Phase: phase, Item: item, Payload: json.RawMessage(payload)})
		_ = StateChecksum(st)
		_ = st.Clone()
	})
}
