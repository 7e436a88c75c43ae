package session

import (
	"context"
	"testing"

	"runway/runbook/audit"
	"runway/runbook/event"
)

// Each part of a session records the build that ran it, in its
// session.opened or session.resumed event, and the fold keeps them.
func TestOpenedAndResumedRecordTheBuild(t *testing.T) {
	f := newFixture(t, longRunbook)
	if err := f.sess.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	s2, err := Resume(context.Background(), f.log, f.sess.ID(), Options{Operator: "bob", Host: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close(context.Background())
	events, err := f.log.Events(context.Background(), s2.ID(), 0)
	if err != nil {
		t.Fatal(err)
	}
	want := audit.Build()
	var opened, resumed int
	for _, e := range events {
		switch e.Kind {
		case event.KindSessionOpened:
			opened++
			if p := event.Decode[audit.OpenedPayload](e.Payload); p.Build != want {
				t.Errorf("session.opened build %q, want %q", p.Build, want)
			}
		case event.KindSessionResumed:
			resumed++
			if p := event.Decode[event.ResumedPayload](e.Payload); p.Build != want {
				t.Errorf("session.resumed build %q, want %q", p.Build, want)
			}
		}
	}
	if opened != 1 || resumed != 1 {
		t.Fatalf("%d opened, %d resumed events", opened, resumed)
	}
	parts := s2.State().Parts
	if len(parts) != 2 || parts[0].Resumed || !parts[1].Resumed || parts[1].Operator != "bob" ||
		parts[0].Build != want || parts[1].Build != want {
		t.Fatalf("parts = %+v", parts)
	}
}
