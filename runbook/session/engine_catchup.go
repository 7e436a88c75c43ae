package session

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dustin/go-humanize"

	"runway/engine"
	"runway/runbook/event"
	"runway/runbook/text"
)

// runCatchup runs a catch-up item: the change log replayed from its stored
// position until the lag has converged or, once the old side is read-only,
// until everything logged is applied. With install_triggers it first
// installs the change-log triggers on the listed tables (idempotent); with
// remove_triggers it only removes them.
func runCatchup(ctx context.Context, job EngineJob) (EngineOutcome, error) {
	spec := job.Item.Catchup
	src, err := job.Conns(spec.From)
	if err != nil {
		return EngineOutcome{}, err
	}
	if spec.RemoveTriggers {
		n, err := engine.RemoveTriggers(ctx, src, spec.LogTable, spec.Tables)
		if err != nil {
			return EngineOutcome{}, err
		}
		return EngineOutcome{Passed: true, Line: fmt.Sprintf("removed %s writing to %s from %s", text.Counts(int64(n), "change-log trigger"), spec.LogTable, spec.From)}, nil
	}
	dst, err := job.Conns(spec.To)
	if err != nil {
		return EngineOutcome{}, err
	}
	var installed string
	if spec.InstallTriggers && len(spec.Tables) > 0 {
		// Check both sides before the triggers change the source.
		p, err := engine.PreflightPlan(ctx, src, dst, engine.PreflightOptions{Engine: engine.PlanCatchup,
			Tables: spec.Tables, AllowTargetTriggers: spec.AllowTargetTriggers})
		if err == nil {
			err = p.Err()
		}
		if err != nil {
			return EngineOutcome{}, fmt.Errorf("catch-up %s → %s: %w", spec.From, spec.To, err)
		}
	}
	if spec.InstallTriggers {
		n, err := engine.InstallTriggers(ctx, src, spec.LogTable, spec.Tables)
		if err != nil {
			return EngineOutcome{}, err
		}
		installed = fmt.Sprintf("%s installed; ", text.Counts(int64(n), "trigger"))
	}
	res, err := engine.Catchup(ctx, src, dst, engine.CatchupOptions{
		LogTable:            spec.LogTable,
		Tables:              spec.Tables,
		Until:               spec.Until,
		MaxLag:              spec.MaxLag.D(),
		ConvergeFor:         spec.ConvergeFor.D(),
		AllowTargetTriggers: spec.AllowTargetTriggers,
		Control:             job.Control,
		Progress:            job.Progress,
		OnCheckpoint: func(cp engine.Checkpoint) {
			job.Checkpoint(event.CheckpointPayload{Table: cp.Table, LastKey: cp.LastKey, Rows: cp.Rows, Done: cp.Done})
		},
	})
	sum := event.EngineSummary{Tables: []event.TableSummary{{Table: spec.LogTable, Rows: res.Applied, Seconds: res.Seconds}}}
	if res.Seconds > 0 {
		sum.Tables[0].RowsPerSec = float64(res.Applied) / res.Seconds
	}
	if err != nil {
		return EngineOutcome{Summary: sum}, fmt.Errorf("%scatch-up %s → %s: %w", installed, spec.From, spec.To, err)
	}
	line := installed + catchupLine(res)
	return EngineOutcome{Summary: sum, Passed: res.Converged || res.Drained, Line: line}, nil
}

// catchupLine is the one-line verdict of a catch-up.
func catchupLine(res engine.CatchupResult) string {
	var b strings.Builder
	switch {
	case res.Drained:
		b.WriteString("drained: ")
	case res.Converged:
		b.WriteString("converged: ")
	}
	fmt.Fprintf(&b, "%s applied (%s re-read and written, %s deleted)", text.Counts(res.Applied, "change"),
		humanize.Comma(res.Upserted), humanize.Comma(res.Deleted))
	if res.Converged {
		fmt.Fprintf(&b, ", lag %s with %s pending", res.Lag.Round(10*time.Millisecond), humanize.Comma(res.Pending))
	}
	if res.ApplyCapacity > 0 {
		// the writer rate above which the catch-up falls behind: the lead's headroom
		at := "up to"
		if res.CapacityLowerBound {
			at = "at least"
		}
		fmt.Fprintf(&b, ", applies %s ~%s changes/s", at, humanize.Comma(int64(res.ApplyCapacity+0.5)))
	}
	if res.Skipped > 0 {
		fmt.Fprintf(&b, ", %s given up as rolled back", text.Counts(res.Skipped, "log id"))
	}
	if res.Ignored > 0 {
		fmt.Fprintf(&b, ", %s of other tables skipped", text.Counts(res.Ignored, "change"))
	}
	for _, w := range res.Warnings {
		b.WriteString("; warning: " + w)
	}
	return b.String()
}
