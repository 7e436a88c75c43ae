package session

import (
	"context"
	"fmt"

	"github.com/dustin/go-humanize"

	"runway/engine"
	"runway/runbook/event"
)

// runCompare runs a compare item: the same question on the old and the new
// side, rows matched by key. Below min_match the item fails; below
// critical_below the failure is critical even on a non-critical item.
func runCompare(ctx context.Context, job EngineJob) (EngineOutcome, error) {
	spec := job.Item.Compare
	oldDB, err := job.Conns(spec.Old.Conn)
	if err != nil {
		return EngineOutcome{}, err
	}
	newDB, err := job.Conns(spec.New.Conn)
	if err != nil {
		return EngineOutcome{}, err
	}
	res, err := engine.Compare(ctx, oldDB, newDB, engine.CompareOptions{
		OldQuery: spec.Old.Query, NewQuery: spec.New.Query, Key: spec.Key,
		MinMatch: spec.MinMatch, CriticalBelow: spec.CriticalBelow,
		MaxDiffs: maxEventDiffs, Progress: job.Progress,
	})
	if err != nil {
		return EngineOutcome{}, err
	}
	rate := res.MatchRate
	sum := event.EngineSummary{
		Tables: []event.TableSummary{{Table: "query", Rows: res.Rows, Seconds: res.Seconds,
			Missing: res.Missing, Extra: res.Extra, Different: res.Different}},
		MatchRate:   &rate,
		DiffCount:   res.Missing + res.Extra + res.Different,
		Differences: differences(res.Diffs),
	}
	minMatch := spec.MinMatch
	if minMatch <= 0 {
		minMatch = 1
	}
	line := fmt.Sprintf("%s of %s rows match (%s missing, %s extra, %s different): match rate %s",
		humanize.Comma(res.Matched), humanize.Comma(res.Rows), humanize.Comma(res.Missing), humanize.Comma(res.Extra), humanize.Comma(res.Different), percent(res.MatchRate))
	switch {
	case res.Critical:
		return EngineOutcome{Summary: sum}, fmt.Errorf("%s, below the critical %s: %w", line, percent(spec.CriticalBelow), ErrCriticalFailure)
	case !res.Passed:
		return EngineOutcome{Summary: sum, Passed: false, Line: fmt.Sprintf("%s < %s", line, percent(minMatch))}, nil
	}
	return EngineOutcome{Summary: sum, Passed: true, Line: fmt.Sprintf("%s ≥ %s", line, percent(minMatch))}, nil
}
