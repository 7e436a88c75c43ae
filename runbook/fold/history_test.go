package fold

import (
	"encoding/json"
	"testing"
	"time"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/event"
)

// A report reads the session's notes and every rollback point it set from
// the fold: who set each, in which event, and which a rollback discarded.
func TestFoldKeepsNotesAndDiscardedPoints(t *testing.T) {
	rb := &runbook.Runbook{Phases: []runbook.Phase{{ID: "one"}, {ID: "two"}}}
	t0 := time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC)
	var seq int64
	ev := func(actor, kind, phase, payload string) audit.Event {
		seq++
		return audit.Event{Seq: seq, Time: t0.Add(time.Duration(seq) * time.Second), Actor: actor,
			Kind: kind, Phase: phase, Payload: json.RawMessage(payload)}
	}
	st := Fold(rb, []audit.Event{
		ev("alice", event.KindPhasePassed, "one", ""),
		ev("alice", event.KindRollbackPointSet, "one", `{"name":"p1","checksum":"c1"}`),
		ev("bob", event.KindNote, "", `{"text":"pilot next"}`),
		ev("carol", event.KindPhasePassed, "two", ""),
		ev("carol", event.KindRollbackPointSet, "two", `{"name":"p2","checksum":"c2"}`),
		ev("alice", event.KindRollbackStarted, "", `{"point":"p1"}`),
		ev("alice", event.KindRollbackFinished, "", `{"point":"p1","ok":true}`),
	})
	if len(st.RollbackPoints) != 1 || st.RollbackPoints[0].Name != "p1" || st.RollbackPoints[0].Actor != "alice" || st.RollbackPoints[0].Seq != 2 {
		t.Errorf("points = %+v", st.RollbackPoints)
	}
	if len(st.Discarded) != 1 || st.Discarded[0].Name != "p2" || st.Discarded[0].Actor != "carol" || st.Discarded[0].Checksum != "c2" {
		t.Errorf("discarded = %+v", st.Discarded)
	}
	if len(st.Notes) != 1 || st.Notes[0].Seq != 3 || st.Notes[0].Actor != "bob" || st.Notes[0].Text != "pilot next" {
		t.Errorf("notes = %+v", st.Notes)
	}
	c := st.Clone()
	c.Discarded[0].Name = "changed"
	if st.Discarded[0].Name != "p2" {
		t.Error("changing a clone changed the original's discarded points")
	}
}
