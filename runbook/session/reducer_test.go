package session

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"runway/runbook/fold"
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
	folded := fold.Fold(f.rb, events)
	if !reflect.DeepEqual(live, folded) {
		t.Fatalf("live state and fold differ:\nlive   %+v\nfolded %+v", live, folded)
	}
	if fold.StateChecksum(live) != fold.StateChecksum(folded) {
		t.Fatal("checksums differ")
	}
	// Clone is deep: changing the copy leaves the original alone.
	c := live.Clone()
	c.Phases[0].Items[0].Status = fold.ItemFailed
	c.Notes[0].Text = "changed"
	c.Actors[0] = "mallory"
	if !reflect.DeepEqual(live, folded) {
		t.Fatal("changing a clone changed the original")
	}
}
