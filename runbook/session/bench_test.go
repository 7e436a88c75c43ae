package session

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/event"
)

// benchRunbook is five phases of ten items, as the templates have.
func benchRunbook() *runbook.Runbook {
	rb := &runbook.Runbook{Name: "bench"}
	for p := range 5 {
		ph := runbook.Phase{ID: fmt.Sprintf("phase-%d", p), RollbackPoint: fmt.Sprintf("point-%d", p)}
		for i := range 10 {
			ph.Items = append(ph.Items, runbook.Item{ID: fmt.Sprintf("item-%d-%d", p, i)})
		}
		rb.Phases = append(rb.Phases, ph)
	}
	return rb
}

// BenchmarkDurableEvents measures durable events per second through the
// session core (an action validated, appended with synchronous=FULL,
// applied and announced), against raw audit appends in the same run.
func BenchmarkDurableEvents(b *testing.B) {
	b.Run("session-note", func(b *testing.B) {
		dir := b.TempDir()
		log, err := audit.Open(filepath.Join(dir, "runway.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer log.Close()
		s, err := Start(context.Background(), log, benchRunbook(), Options{Operator: "alice"})
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for b.Loop() {
			if err := s.Do(Note{Text: "checkpoint reached"}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	})
	b.Run("audit-append", func(b *testing.B) {
		dir := b.TempDir()
		log, err := audit.Open(filepath.Join(dir, "runway.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer log.Close()
		info, err := log.CreateSession(audit.SessionInfo{Runbook: "bench", Operator: "alice"})
		if err != nil {
			b.Fatal(err)
		}
		payload := json.RawMessage(`{"text":"checkpoint reached"}`)
		b.ResetTimer()
		for b.Loop() {
			if _, err := log.Append(audit.Event{Session: info.ID, Actor: "alice", Kind: event.KindNote, Payload: payload}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	})
}
