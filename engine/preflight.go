package engine

import (
	"context"
	"fmt"
	"runway/runbook/text"
	"strings"
	"time"
)

// The preflight reads both catalogs before an engine moves a row and lists
// every problem at once, each naming its table (and column): a table that
// is missing or a view, without a usable key, a target that does not fit,
// two source names that would land in one target table, target triggers
// that would fire on every written row, a --where that does not apply. It
// runs a few catalog queries per table, never per chunk, and writes
// nothing: `runway copy --plan` prints it, and Copy, Verify and Catchup
// refuse to start while it has problems.

// Engines a preflight checks for.
const (
	PlanCopy    = "copy"
	PlanVerify  = "verify"
	PlanCatchup = "catchup"
)

// PreflightOptions say what an engine is about to do.
type PreflightOptions struct {
	Engine string   // PlanCopy, PlanVerify or PlanCatchup
	Tables []string // as given; trimmed and de-duplicated (see CleanTables)
	Where  string   // the row filter, checked against each source table
	Create bool     // copy: a missing target table is created
	Repair bool     // verify: differing target rows are rewritten
	// AllowTargetTriggers lets an engine write to target tables that have
	// triggers; by default they are a problem, since they change what is
	// written.
	AllowTargetTriggers bool
	ChunkTime           time.Duration // copy: target time per chunk (for the plan's text)
	MaxChunkRows        int           // copy: largest chunk (for the plan's text)
	ChunkRows           int           // verify: source rows per chunk
}

// Plan is what a preflight found: per table what will happen, and every
// problem that stops the engine from starting.
type Plan struct {
	Engine         string
	Source, Target string // the databases, without secrets
	TargetNote     string // about the target as a whole, e.g. a file that does not exist yet
	Repair         bool   // verify: differing target rows would be rewritten
	Tables         []TablePlan
	Problems       []Problem
}

// TablePlan is what an engine will do with one table.
type TablePlan struct {
	Name       string // the source table
	TargetName string // the target table, as the target spells it when it exists
	Found      bool   // the source table exists and is a base table
	Rows       int64  // estimated source rows; -1 unknown
	Key        []string
	KeyName    string
	Chunking   string            // how the rows move, in words
	Exists     bool              // the target table exists
	Compatible bool              // it exists and fits the source
	Create     []string          // statements that would create it (copy), when it does not exist
	Deferred   []string          // indexes added once the rows are in
	Types      []TypeTranslation // copied columns whose target type differs from the source's
	Triggers   []TriggerInfo
	Foreign    []ForeignKeyInfo
	Notes      []string // what runway will do about triggers, foreign keys, filters

	st, dt *Table
}

// Problem is one reason the engine will not start.
type Problem struct {
	Table  string // the source table it concerns ("" for the whole run)
	Column string // the column, where one is at fault
	Text   string // a sentence naming the table (and column) and what to do
	err    error  // ErrNoTable or ErrNoKey where one applies, for errors.Is
}

func (p Problem) String() string { return p.Text }

// PreflightError is returned by an engine that did not start because its
// preflight found problems; nothing was written.
type PreflightError struct{ Plan *Plan }

// Error is one line: the count and every problem, separated by "; ".
func (e *PreflightError) Error() string {
	var texts []string
	for _, p := range e.Plan.Problems {
		texts = append(texts, p.Text)
	}
	return fmt.Sprintf("%s refused %s (%s): %s", e.Plan.Engine, e.Plan.RefusedBefore(), text.Counts(len(texts), "problem"), strings.Join(texts, "; "))
}

// RefusedBefore says what a refusal came before: a verify that only
// compares never writes.
func (p *Plan) RefusedBefore() string {
	if p.Engine == PlanVerify && !p.Repair {
		return "before anything was compared"
	}
	return "before any write"
}

// Lines are the problems, one a line, for output that has room for them.
func (e *PreflightError) Lines() []string {
	var out []string
	for _, p := range e.Plan.Problems {
		out = append(out, p.Text)
	}
	return out
}

// Unwrap gives the sentinel errors of the problems (ErrNoTable, ErrNoKey),
// so that errors.Is finds them.
func (e *PreflightError) Unwrap() []error {
	var out []error
	for _, p := range e.Plan.Problems {
		if p.err != nil {
			out = append(out, p.err)
		}
	}
	return out
}

// TableNames are the plan's tables in order, as the engine will take them.
func (p *Plan) TableNames() []string {
	out := make([]string, len(p.Tables))
	for i, t := range p.Tables {
		out[i] = t.Name
	}
	return out
}

// Err is a *PreflightError when the plan has problems, else nil.
func (p *Plan) Err() error {
	if len(p.Problems) == 0 {
		return nil
	}
	return &PreflightError{Plan: p}
}

func (p *Plan) problem(table, column, format string, args ...any) {
	p.Problems = append(p.Problems, Problem{Table: table, Column: column, Text: fmt.Sprintf(format, args...)})
}

// problemIs adds a problem that errors.Is matches with sentinel.
func (p *Plan) problemIs(sentinel error, table, format string, args ...any) {
	p.problem(table, "", format, args...)
	p.Problems[len(p.Problems)-1].err = sentinel
}

// Preflight checks the tables of opts on src and dst and returns the plan.
// Problems are in the plan, not the error: the error is a catalog that
// could not be read.
func Preflight(ctx context.Context, src, dst *DB, opts PreflightOptions) (*Plan, error) {
	if opts.Engine == "" {
		opts.Engine = PlanCopy
	}
	p := &Plan{Engine: opts.Engine, Source: src.String(), Target: dst.String(), Repair: opts.Repair}
	tables := CleanTables(opts.Tables)
	if len(tables) == 0 {
		p.problem("", "", "%s: no tables named", opts.Engine)
		return p, nil
	}
	if src.ident == dst.ident || sameFile(src, dst) {
		p.problem("", "", "source and target are the same database %s, so every table would be written onto the same table: name another target", src)
	}
	names, err := newTargetNames(ctx, dst)
	if err != nil {
		return nil, err
	}
	for _, name := range tables {
		tp, err := planTable(ctx, src, dst, name, opts, p)
		if err != nil {
			return nil, err
		}
		p.Tables = append(p.Tables, tp)
	}
	names.check(p)
	return p, nil
}

// planTable checks one table on both sides.
func planTable(ctx context.Context, src, dst *DB, name string, opts PreflightOptions, p *Plan) (TablePlan, error) {
	tp := TablePlan{Name: name, TargetName: name, Rows: -1}
	ok, err := planSource(ctx, src, &tp, opts, p)
	if err != nil || !ok {
		return tp, err
	}
	if err := planTarget(ctx, src, dst, &tp, opts, p); err != nil {
		return tp, err
	}
	if err := planTriggers(ctx, dst, &tp, opts, p); err != nil {
		return tp, err
	}
	if err := columnProblems(ctx, src, dst, &tp, opts, p); err != nil {
		return tp, err
	}
	if err := planForeignKeys(ctx, src, dst, &tp, opts); err != nil {
		return tp, err
	}
	if err := planCascadeStops(ctx, dst, &tp, opts); err != nil {
		return tp, err
	}
	tp.Chunking = chunking(ctx, src, dst, &tp, opts)
	tp.Types = typeTranslations(src, dst, &tp)
	return tp, nil
}

// preflightFor runs the preflight of an engine, retrying a catalog that
// cannot be read for a moment, and returns the plan or why it stops.
func preflightFor(ctx context.Context, src, dst *DB, retryFor time.Duration, opts PreflightOptions) (*Plan, error) {
	var p *Plan
	err := retrySetup(ctx, startRetry(retryFor), func() (err error) {
		p, err = PreflightPlan(ctx, src, dst, opts)
		return err
	})
	if ctx.Err() != nil {
		// Cancelled mid-check: a catalog read cut short ("interrupted") is
		// the cancellation, not a problem of the tables.
		return nil, fmt.Errorf("%s: preflight: %w", opts.Engine, ctx.Err())
	}
	if err != nil {
		return nil, fmt.Errorf("%s: preflight: %w", opts.Engine, err)
	}
	return p, p.Err()
}
