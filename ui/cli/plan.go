package cli

import (
	"context"
	"errors"
	"fmt"
	"runway/runbook/text"

	"runway/engine"
	"runway/ui/inert"
)

// printCopyPlan is `runway copy --plan`: the preflight's plan on stdout,
// nothing written. Exit 0 without problems, 2 with.
func printCopyPlan(ctx context.Context, s IO, f *copyFlags, src, dst *engine.DB) error {
	p, err := engine.PreflightPlan(ctx, src, dst, engine.PreflightOptions{
		Engine: engine.PlanCopy, Tables: f.tables, Where: f.where, Create: f.create,
		AllowTargetTriggers: f.triggers, ChunkTime: f.chunkTime, MaxChunkRows: 0,
	})
	if err != nil {
		return withCode(ExitUsage, fmt.Errorf("copy --plan: %w", err))
	}
	for _, l := range p.Lines() {
		fmt.Fprintln(s.Out, inert.Line(l))
	}
	if n := len(p.Problems); n > 0 {
		return exitf(ExitUsage, "copy --plan: %s; nothing was written", text.Counts(int64(n), "problem"))
	}
	return nil
}

// refused turns an engine's refusal before any write into exit status 2,
// with each problem on a line of its own; other errors pass through.
func refused(s IO, err error) error {
	var pe *engine.PreflightError
	if !errors.As(err, &pe) {
		return nil
	}
	for _, l := range pe.Lines() {
		fmt.Fprintln(s.Err, "runway: "+inert.Line(l))
	}
	problems := text.Counts(int64(len(pe.Plan.Problems)), "problem")
	if pe.Plan.Engine == engine.PlanVerify && !pe.Plan.Repair {
		return exitf(ExitUsage, "%s refused %s: %s", pe.Plan.Engine, pe.Plan.RefusedBefore(), problems)
	}
	return exitf(ExitUsage, "%s refused %s: %s; nothing was written", pe.Plan.Engine, pe.Plan.RefusedBefore(), problems)
}
