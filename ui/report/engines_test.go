package report

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"runway/runbook/audit"
	"runway/runbook/event"
)

// engineRunbook has data engines and a two-person override policy.
const engineRunbook = `version: 1
name: engines
title: Copy and verify the orders
connections:
  legacy: {driver: sqlite, dsn: "legacy.db"}
  new: {driver: sqlite, dsn: "new.db"}
procedures:
  data-inconsistency: {title: Rows differ, escalate_after: 30m, steps: [pause the copy, compare, repair]}
phases:
  - id: full
    title: Full migration
    risk: high
    expected: 10m
    overrides: two-person
    items:
      - {id: copy-orders, title: Copy the orders, critical: true, copy: {from: legacy, to: new, tables: [orders]}}
      - {id: verify-orders, title: Verify the orders, critical: true, verify: {from: legacy, to: new, tables: [orders], repair: true}}
`

// appender writes a session's events with the executor's vocabulary, at
// made-up times one second apart.
type appender struct {
	t   *testing.T
	log *audit.Log
	id  string
	at  time.Time
}

func (a *appender) add(actor, kind, phase, item string, payload any) {
	a.t.Helper()
	var raw json.RawMessage
	if payload != nil {
		b, err := json.Marshal(payload)
		if err != nil {
			a.t.Fatal(err)
		}
		raw = b
	}
	a.at = a.at.Add(time.Second)
	if _, err := a.log.Append(audit.Event{Session: a.id, Time: a.at, Actor: actor, Kind: kind,
		Phase: phase, Item: item, Payload: raw}); err != nil {
		a.t.Fatal(err)
	}
}

// recordEngines writes a session of the engines runbook to a new audit log,
// its events added by record, and returns the log's path.
func recordEngines(t *testing.T, record func(a *appender)) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "runway.db")
	log, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	start := time.Date(2026, 3, 14, 22, 0, 0, 0, time.UTC)
	info, err := log.CreateSession(audit.SessionInfo{Runbook: "engines", RunbookPath: "/srv/runbooks/engines.yaml",
		RunbookText: []byte(engineRunbook), Operator: "alice", Host: "ops-1", Started: start})
	if err != nil {
		t.Fatal(err)
	}
	a := &appender{t: t, log: log, id: info.ID, at: start}
	record(a)
	return path
}

// engineSession records a copy with hundreds of progress samples, a verify
// that finds differences, a two-person override and an incident.
func engineSession(t *testing.T) string {
	return recordEngines(t, func(a *appender) {
		const full = "full"
		a.add("alice", event.KindPhaseStarted, full, "", nil)
		a.add("alice", event.KindItemStarted, full, "copy-orders", event.StartedPayload{Kind: "copy", Attempt: 1})
		for i := 1; i <= 300; i++ {
			a.add("alice", event.KindEngineProgress, full, "copy-orders", event.ProgressPayload{Table: "orders", Done: int64(i * 100), Total: 34000, RowsPerSec: 5000})
			if i%10 == 0 {
				a.add("alice", event.KindEngineCheckpoint, full, "copy-orders", event.CheckpointPayload{Table: "orders", Rows: int64(i * 100)})
			}
		}
		a.add("bob", event.KindEngineControl, full, "copy-orders", event.ControlPayload{Action: "rate", Rate: 2000})
		for i := 301; i <= 340; i++ {
			a.add("alice", event.KindEngineProgress, full, "copy-orders", event.ProgressPayload{Table: "orders", Done: int64(i * 100), Total: 34000, RowsPerSec: 2000})
		}
		a.add("alice", event.KindItemPassed, full, "copy-orders", event.ResultPayload{Attempt: 1, Summary: "34,000 rows copied",
			Engine: &event.EngineSummary{Tables: []event.TableSummary{{Table: "orders", Rows: 34000, Seconds: 381, RowsPerSec: 89.2}}}})
		a.add("alice", event.KindItemStarted, full, "verify-orders", event.StartedPayload{Kind: "verify", Attempt: 1})
		rate := 0.99991
		a.add("alice", event.KindItemFailed, full, "verify-orders", event.ResultPayload{Attempt: 1, Critical: true,
			Summary: "3 rows differ, 2 repaired", Output: "orders id=17 different in amount\norders id=18 missing\norders id=99 extra",
			Engine: &event.EngineSummary{MatchRate: &rate, DiffCount: 3, Repaired: 2,
				Tables:      []event.TableSummary{{Table: "orders", Rows: 34000, Seconds: 12, RowsPerSec: 2833, Missing: 1, Extra: 1, Different: 1}},
				Differences: []event.Difference{{Table: "orders", Key: []string{"17"}, Type: "different", Columns: []string{"amount"}}}}})
		a.add("alice", event.KindStopTriggered, full, "verify-orders", event.StopPayload{Reason: "critical item verify-orders failed", Choices: []string{"retry", "override"}})
		a.add("alice", event.KindIncidentOpened, "", "", event.IncidentPayload{Procedure: "data-inconsistency"})
		a.add("alice", event.KindIncidentStep, "", "", event.IncidentPayload{Procedure: "data-inconsistency", Step: 2})
		a.add("alice", event.KindOverrideRequested, full, "verify-orders", event.OverridePayload{Reason: "row 99 is a test order deleted upstream", Policy: "two-person", RequestedBy: "alice"})
		a.add("alice", event.KindActionRefused, "", "", event.RefusedPayload{Action: "approve override", Reason: "alice requested this override; a second person must approve it"})
		a.add("carol", event.KindOverrideApproved, full, "verify-orders", event.OverridePayload{Reason: "row 99 is a test order deleted upstream", Policy: "two-person", RequestedBy: "alice", ApprovedBy: "carol"})
		a.add("carol", event.KindItemOverridden, full, "verify-orders", event.OverridePayload{Reason: "row 99 is a test order deleted upstream", Policy: "two-person", RequestedBy: "alice", ApprovedBy: "carol"})
		a.add("carol", event.KindStopCleared, full, "verify-orders", event.StopPayload{Reason: "verify-orders overridden"})
		a.add("alice", event.KindPhasePassed, full, "", nil)
		a.add("alice", event.KindIncidentClosed, "", "", event.IncidentPayload{Procedure: "data-inconsistency"})
		a.add("alice", event.KindSessionClosed, "", "", event.ClosedPayload{Status: "passed"})
		if err := a.log.SetSessionStatus(a.id, "passed", a.at); err != nil {
			t.Fatal(err)
		}
	})
}

func TestEnginesAndFoldedTelemetry(t *testing.T) {
	r, err := Build(context.Background(), engineSession(t), "")
	if err != nil {
		t.Fatal(err)
	}
	var folds []Entry
	for _, e := range r.Timeline {
		if telemetry(e.Kind) {
			folds = append(folds, e)
		}
	}
	// The rate change splits the copy's telemetry into two folded runs.
	if len(folds) != 2 {
		t.Fatalf("folded telemetry entries = %+v", folds)
	}
	if f := folds[0]; f.Folded["engine.progress"] != 300 || f.Folded["engine.checkpoint"] != 30 || f.Until == nil || f.LastSeq <= f.Seq {
		t.Errorf("first fold = %+v", f)
	}
	if f := folds[1]; f.Folded["engine.progress"] != 40 || !strings.Contains(f.Text, "orders 34,000 of 34,000 rows at 2,000 rows/s") {
		t.Errorf("second fold = %+v", f)
	}
	if len(r.Timeline) > 30 {
		t.Errorf("timeline has %d entries: telemetry is not folded", len(r.Timeline))
	}
	if len(r.Engines) != 2 {
		t.Fatalf("engines = %+v", r.Engines)
	}
	cp, vf := r.Engines[0], r.Engines[1]
	if cp.Kind != "copy" || cp.Verdict != "passed" || cp.Checkpoints != 30 || len(cp.Tables) != 1 || cp.Tables[0].Rows != 34000 {
		t.Errorf("copy = %+v", cp)
	}
	if vf.Verdict != "failed" || vf.MatchRate == nil || vf.DiffCount != 3 || vf.Repaired != 2 || len(vf.Differences) != 1 || vf.Tables[0].Missing != 1 {
		t.Errorf("verify = %+v", vf)
	}
	if len(r.Overrides) != 1 {
		t.Fatalf("overrides = %+v", r.Overrides)
	}
	if o := r.Overrides[0]; o.RequestedBy != "alice" || o.ApprovedBy != "carol" || o.Outcome != "overridden" || o.Policy != "two-person" {
		t.Errorf("override = %+v", o)
	}
	if len(r.Failures) != 1 || r.Failures[0].Resolution != "overridden by alice, approved by carol" {
		t.Errorf("failures = %+v", r.Failures)
	}
	if len(r.Incidents) != 1 || !r.Incidents[0].Closed || len(r.Incidents[0].Steps) != 3 || r.Incidents[0].StepsDone[0] != 2 {
		t.Errorf("incidents = %+v", r.Incidents)
	}
	if len(r.Refusals) != 1 {
		t.Errorf("refusals = %+v", r.Refusals)
	}
	if p := r.Phases[0]; p.Actual != "6m24s" || !p.Finished || p.OverExpected {
		t.Errorf("phase = %+v", p)
	}
	for _, format := range Formats {
		out := render(t, r, format)
		mustContain(t, format, out, "carol", "row 99 is a test order deleted upstream", "orders id=18 missing")
		if format != "json" {
			mustContain(t, format, out, "engine.progress ×300, engine.checkpoint ×30", "3 differences found", "2 repaired", "34,000")
		}
		switch format {
		case "md":
			mustContain(t, format, out, "match rate >99.99%")
		case "html":
			mustContain(t, format, out, "match rate &gt;99.99%")
		}
	}
}
