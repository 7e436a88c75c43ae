package session

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/dustin/go-humanize"

	"runway/engine"
	"runway/runbook/event"
	"runway/runbook/text"
)

// maxEventDiffs bounds the differences an engine's verdict carries into the
// audit log; the count is always complete.
const maxEventDiffs = 100

// runVerify runs a verify item: per-chunk checksums on both sides, the
// differing chunks narrowed to keys, an optional repair from the source,
// and a pass when the match rate reaches min_match.
func runVerify(ctx context.Context, job EngineJob) (EngineOutcome, error) {
	spec := job.Item.Verify
	src, err := job.Conns(spec.From)
	if err != nil {
		return EngineOutcome{}, err
	}
	dst, err := job.Conns(spec.To)
	if err != nil {
		return EngineOutcome{}, err
	}
	res, err := engine.Verify(ctx, src, dst, engine.VerifyOptions{
		Tables:              spec.Tables,
		Where:               spec.Where,
		Sample:              spec.Sample,
		Repair:              spec.Repair,
		MinMatch:            spec.MinMatch,
		AllowTargetTriggers: spec.AllowTargetTriggers,
		MaxDiffs:            maxEventDiffs,
		Job:                 job.JobID(),
		Control:             job.Control,
		Progress:            job.Progress,
		OnCheckpoint: func(cp engine.Checkpoint) {
			job.Checkpoint(event.CheckpointPayload{Table: cp.Table, LastKey: cp.LastKey, Rows: cp.Rows, Done: cp.Done})
		},
	})
	sum := verifySummary(res)
	if err != nil {
		return EngineOutcome{Summary: sum}, fmt.Errorf("verify %s → %s: %w", spec.From, spec.To, err)
	}
	return EngineOutcome{Summary: sum, Passed: res.Passed, Line: verifyLine(res, spec.MinMatch, spec.Repair)}, nil
}

// verifySummary turns a verify result into the verdict's figures.
func verifySummary(res engine.VerifyResult) event.EngineSummary {
	sum := event.EngineSummary{DiffCount: res.DiffCount, Repaired: res.Repaired}
	var sampled []string
	for _, t := range res.Tables {
		sum.Tables = append(sum.Tables, event.TableSummary{Table: t.Table, Rows: t.Rows, Seconds: t.Seconds, RowsPerSec: t.RowsPerSec,
			Missing: t.Missing, Extra: t.Extra, Different: t.Different})
		if t.Sampled != "" {
			sampled = append(sampled, t.Table+": "+t.Sampled)
		}
	}
	if len(res.Tables) > 0 {
		rate := res.MatchRate
		sum.MatchRate = &rate
	}
	sum.Sampled = strings.Join(sampled, "; ")
	sum.Differences = differences(res.Diffs)
	for _, r := range res.Repairs {
		if len(sum.Repairs) >= maxEventDiffs {
			break
		}
		sum.Repairs = append(sum.Repairs, event.Difference{Table: r.Table, Key: r.Key, Type: r.Action})
	}
	return sum
}

func differences(ds []engine.RowDiff) []event.Difference {
	var out []event.Difference
	for _, d := range ds {
		if len(out) >= maxEventDiffs {
			break
		}
		out = append(out, event.Difference{Table: d.Table, Key: d.Key, Type: string(d.Type), Columns: d.Columns})
	}
	return out
}

// verifyLine is the one-line verdict, e.g. "1,000,000 rows of orders match"
// or "3 differences in orders (1 missing, 1 extra, 1 different): match rate 99.9997% < 100%".
func verifyLine(res engine.VerifyResult, minMatch float64, repair bool) string {
	var names []string
	var missing, extra, different int64
	for _, t := range res.Tables {
		names = append(names, t.Table)
		missing, extra, different = missing+t.Missing, extra+t.Extra, different+t.Different
	}
	tables := strings.Join(names, ", ")
	if minMatch <= 0 {
		minMatch = 1
	}
	if res.DiffCount == 0 {
		return fmt.Sprintf("%s rows of %s match", humanize.Comma(res.Rows), tables)
	}
	s := fmt.Sprintf("%s in %s (%s missing, %s extra, %s different)", text.Counts(res.DiffCount, "difference"), tables, humanize.Comma(missing), humanize.Comma(extra), humanize.Comma(different))
	if repair {
		s += fmt.Sprintf(", %s repaired, %s remaining", text.Counts(res.Repaired, "row"), text.Counts(res.Remaining, "difference"))
	}
	cmp := "≥"
	if res.MatchRate < minMatch {
		cmp = "<"
	}
	return s + fmt.Sprintf(": match rate %s %s %s", percent(res.MatchRate), cmp, percent(minMatch))
}

// percent writes a rate with as many decimals as it needs, up to 4: 100%, 99.9997%.
func percent(r float64) string {
	s := strconv.FormatFloat(r*100, 'f', 4, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + "%"
}
