package report

import (
	"time"

	"runway/runbook/audit"
	"runway/runbook/event"
)

// engineKinds are the item kinds that run a data engine.
var engineKinds = map[string]bool{"copy": true, "verify": true, "catchup": true, "compare": true}

// engineRun is one attempt of a data engine, from its start to its verdict.
type engineRun struct {
	seq               int64
	at                time.Time
	phase, item, kind string
	attempt           int
	checkpoints       int
	summary           string
	tables            []event.ProgressPayload // latest sample per table, first-seen order
	plan              *event.PlanPayload      // a copy's engine.plan
}

func (r *engineRun) progress(p event.ProgressPayload) {
	for i := range r.tables {
		if r.tables[i].Table == p.Table {
			r.tables[i] = p
			return
		}
	}
	r.tables = append(r.tables, p)
}

// run is the open engine run of an item, started now if the log holds no
// start for it (a resumed engine, a telemetry event on its own).
func (b *builder) run(e audit.Event, key string, at time.Time) *engineRun {
	r := b.runs[key]
	if r == nil {
		r = &engineRun{seq: e.Seq, at: at, phase: e.Phase, item: e.Item, kind: b.t.kinds[key]}
		b.runs[key] = r
	}
	return r
}

// endRun closes an item's open engine run with its verdict and, when the
// engine reported one, its summary; without one, the last progress sample
// of each table stands for its figures.
func (b *builder) endRun(key, verdict string, sum *event.EngineSummary, at time.Time) {
	r := b.runs[key]
	if r == nil {
		return
	}
	delete(b.runs, key)
	en := Engine{
		Seq: r.seq, At: r.at, Phase: r.phase, Item: r.item, Title: b.t.item(r.phase, r.item),
		Kind: r.kind, Attempt: r.attempt, Verdict: verdict, Summary: r.summary,
		Tables: []EngineTable{}, Differences: []Difference{}, Checkpoints: r.checkpoints, Plan: r.plan,
	}
	if sum != nil {
		for _, t := range sum.Tables {
			en.Tables = append(en.Tables, EngineTable{
				Table: t.Table, Rows: t.Rows, Seconds: t.Seconds, RowsPerSec: t.RowsPerSec,
				Missing: t.Missing, Extra: t.Extra, Different: t.Different,
			})
		}
		en.MatchRate, en.DiffCount, en.Repaired, en.Sampled = sum.MatchRate, sum.DiffCount, sum.Repaired, sum.Sampled
		for _, d := range sum.Differences {
			en.Differences = append(en.Differences, Difference{
				Table: d.Table, Key: nonNil(d.Key), Type: d.Type, Columns: nonNil(d.Columns),
			})
		}
	}
	if len(en.Tables) == 0 {
		for _, p := range r.tables {
			en.Tables = append(en.Tables, EngineTable{Table: p.Table, Rows: p.Done, Total: p.Total, RowsPerSec: p.RowsPerSec})
		}
	}
	if en.Summary == "" && verdict != "passed" && verdict != "failed" {
		en.Summary = verdict + " at " + Stamp(at)
		if at.IsZero() {
			en.Summary = verdict + " when the log ends"
		}
	}
	b.r.Engines = append(b.r.Engines, en)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
