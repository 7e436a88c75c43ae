package session

import (
	"context"
	"fmt"
	"strings"

	"runway/engine"
	"runway/runbook/event"
	"runway/runbook/text"
)

// runCopy runs a copy item: keyset chunks with a checkpoint on the target
// after each commit, so a run with the same job id (a resumed session)
// continues where the last one stopped.
func runCopy(ctx context.Context, job EngineJob) (EngineOutcome, error) {
	spec := job.Item.Copy
	src, err := job.Conns(spec.From)
	if err != nil {
		return EngineOutcome{}, err
	}
	dst, err := job.Conns(spec.To)
	if err != nil {
		return EngineOutcome{}, err
	}
	res, err := engine.Copy(ctx, src, dst, engine.CopyOptions{
		Tables:              spec.Tables,
		Where:               spec.Where,
		Create:              spec.Create,
		AllowTargetTriggers: spec.AllowTargetTriggers,
		Job:                 job.JobID(),
		Control:             job.Control,
		Progress:            job.Progress,
		OnCheckpoint: func(cp engine.Checkpoint) {
			job.Checkpoint(event.CheckpointPayload{Table: cp.Table, LastKey: cp.LastKey, Rows: cp.Rows, Done: cp.Done})
		},
		OnPlan: func(p *engine.Plan) {
			if job.Plan != nil {
				job.Plan(planPayload(p, job.Redact))
			}
		},
	})
	sum := event.EngineSummary{}
	var rows int64
	var secs float64
	for _, t := range res.Tables {
		ts := tableSummary(t)
		rows += ts.Rows
		secs += ts.Seconds
		sum.Tables = append(sum.Tables, ts)
	}
	if err != nil {
		return EngineOutcome{Summary: sum}, fmt.Errorf("copy %s → %s: %w", spec.From, spec.To, err)
	}
	line := fmt.Sprintf("copied %s of %s in %s", text.Counts(rows, "row"), strings.Join(spec.Tables, ", "), text.Seconds(secs))
	for _, t := range res.Tables {
		if t.Note != "" { // what a rerun over a finished table found
			line += "; " + t.Table + ": " + t.Note
		}
	}
	return EngineOutcome{Summary: sum, Passed: true, Line: line}, nil
}

func tableSummary(t engine.TableResult) event.TableSummary {
	return event.TableSummary{Table: t.Table, Rows: t.Rows, Seconds: t.Seconds, RowsPerSec: t.RowsPerSec}
}
