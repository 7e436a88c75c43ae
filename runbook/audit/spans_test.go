package audit

import (
	"context"
	"testing"
)

// TestSpans: counts and ends per session, with the sessions' events
// interleaved and one session of a single event.
func TestSpans(t *testing.T) {
	l, _ := newLog(t)
	a, b, c := newSession(t, l), newSession(t, l), newSession(t, l)
	for i := range 5 {
		for _, s := range []SessionInfo{a, b} {
			if i == 4 && s.ID == b.ID {
				continue
			}
			if _, err := l.Append(Event{Session: s.ID, Actor: "alice", Kind: "note", Payload: []byte(`{"text":"x"}`)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	sp, err := l.Spans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	all, err := l.Events(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []SessionInfo{a, b, c} {
		var n int64
		var first, last Event
		for _, e := range all {
			if e.Session == s.ID {
				if n == 0 {
					first = e
				}
				last = e
				n++
			}
		}
		got, ok := sp[s.ID]
		if !ok || got.Events != n || got.First.Seq != first.Seq || got.Last.Seq != last.Seq ||
			got.First.Hash != first.Hash || got.Last.Kind != last.Kind {
			t.Errorf("session %s: span %d events, first %d, last %d; want %d, %d, %d",
				s.ID, got.Events, got.First.Seq, got.Last.Seq, n, first.Seq, last.Seq)
		}
	}
	if len(sp) != 3 {
		t.Errorf("%d spans, want 3", len(sp))
	}
}
