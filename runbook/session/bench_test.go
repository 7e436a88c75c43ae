package session

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"runway/runbook"
	"runway/runbook/audit"
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

// benchEvents builds n events of a realistic mix: every item starts and
// passes, and engines report progress and checkpoints in between (most of
// the volume of a long session).
func benchEvents(rb *runbook.Runbook, n int) []audit.Event {
	raw := func(v any) json.RawMessage { b, _ := json.Marshal(v); return b }
	t0 := time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)
	events := make([]audit.Event, 0, n)
	add := func(kind, phase, item string, payload json.RawMessage) {
		events = append(events, audit.Event{
			Seq: int64(len(events) + 1), Session: "s", Time: t0.Add(time.Duration(len(events)) * time.Millisecond),
			Actor: "alice", Kind: kind, Phase: phase, Item: item, Payload: payload,
		})
	}
	add(KindSessionOpened, "", "", raw(map[string]string{"operator": "alice", "host": "h"}))
	for len(events) < n {
		for _, ph := range rb.Phases {
			add(KindPhaseStarted, ph.ID, "", nil)
			for _, it := range ph.Items {
				add(KindItemStarted, ph.ID, it.ID, raw(StartedPayload{Kind: "copy", Attempt: 1}))
				for k := range 40 {
					add(KindEngineProgress, ph.ID, it.ID, raw(ProgressPayload{Table: "orders", Done: int64(k * 1000), Total: 40000, RowsPerSec: 20000, ETAms: 1500}))
					if k%4 == 0 {
						add(KindEngineCheckpoint, ph.ID, it.ID, raw(CheckpointPayload{Table: "orders", LastKey: []string{fmt.Sprint(k * 1000)}, Rows: int64(k * 1000)}))
					}
				}
				add(KindItemPassed, ph.ID, it.ID, raw(ResultPayload{Attempt: 1, Summary: "copied 40,000 rows of orders in 2.0s", DurationMS: 2000,
					Engine: &EngineSummary{Tables: []TableSummary{{Table: "orders", Rows: 40000, Seconds: 2, RowsPerSec: 20000}}}}))
			}
			add(KindPhasePassed, ph.ID, "", nil)
			add(KindRollbackPointSet, ph.ID, "", raw(RollbackPointPayload{Name: ph.RollbackPoint, Checksum: "sha256:00"}))
		}
		add(KindRollbackStarted, "", "", raw(RollbackPayload{Point: "point-0"}))
		add(KindRollbackFinished, "", "", raw(RollbackPayload{Point: "point-0", OK: true}))
	}
	return events[:n]
}

// BenchmarkFold1M folds a million events in memory (target: under 3 s).
func BenchmarkFold1M(b *testing.B) {
	rb := benchRunbook()
	events := benchEvents(rb, 1_000_000)
	b.ResetTimer()
	for b.Loop() {
		st := Fold(rb, events)
		if st.Events != int64(len(events)) {
			b.Fatal("short fold")
		}
	}
	perOp := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(perOp.Nanoseconds())/float64(len(events)), "ns/event")
	b.ReportMetric(perOp.Seconds(), "s/1M-events")
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
			if _, err := log.Append(audit.Event{Session: info.ID, Actor: "alice", Kind: KindNote, Payload: payload}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	})
}
