package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/spf13/cobra"

	"runway/engine"
	"runway/runbook/text"
	"runway/ui/inert"
)

// verifyFlags are the flags of `runway verify`.
type verifyFlags struct {
	endpoints
	sample    string
	repair    bool
	minMatch  float64
	chunkRows int
	workers   int
	method    string
	show      int
	retryFor  time.Duration
	triggers  bool // --allow-target-triggers
}

// newVerify is `runway verify --from URL --to URL --table T`: compare tables
// outside a runbook. Exit 0 when every table matches (or reached
// --min-match), 1 when differences remain, 2 on bad usage or when a
// database cannot be opened or read.
func newVerify(g *Globals, s IO) *cobra.Command {
	f := &verifyFlags{}
	c := &cobra.Command{
		Use:   "verify --from URL --to URL --table T [--table T…]",
		Short: "Compare tables on two databases and list the rows that differ",
		Long: "Compare the tables chunk by chunk: row counts and a SHA1-based checksum computed by both\n" +
			"servers when both are MySQL/MariaDB, canonical values compared in runway otherwise.\n" +
			"Differing chunks are narrowed to the keys that are missing, extra, duplicated or\n" +
			"different (naming the columns). The source (--from) is the truth; --repair lists the\n" +
			"differences, rewrites the target's differing rows from it the way copy writes (foreign\n" +
			"key checks off), prints what it changed and verifies those rows again.\n\n" +
			"URLs: mysql://user@host[:port]/db, postgres://user@host[:port]/db or sqlite:PATH\n" +
			"(the files must exist). A password comes from RUNWAY_FROM_PASSWORD /\n" +
			"RUNWAY_TO_PASSWORD, else for MySQL from --defaults-file or ~/.my.cnf ([client]\n" +
			"password=), for PostgreSQL from PGPASSWORD or ~/.pgpass; one written in the URL\n" +
			"works but every user can see it.\n" +
			"Exit status: 0 every table matches (or reaches --min-match), 1 differences remain,\n" +
			"2 bad usage or a database that cannot be opened or read (a missing file, a server\n" +
			"not reachable, a login refused).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runVerify(cmd.Context(), s, f)
		},
	}
	fl := c.Flags()
	f.register(c, "source database URL (the truth)", "table to verify (repeat or comma-separate)", "only rows matching this SQL condition (on both sides)")
	fl.StringVar(&f.sample, "sample", "", "check a share of the chunks, e.g. 10% or 0.1")
	fl.BoolVar(&f.repair, "repair", false, "rewrite differing target rows from the source, then verify them again")
	fl.Float64Var(&f.minMatch, "min-match", 1, "match rate at or above which a table passes")
	fl.IntVar(&f.chunkRows, "chunk-rows", 0, "source rows per chunk (default 100,000 with server checksums, else 10,000)")
	fl.IntVar(&f.workers, "workers", 2, "chunks compared at the same time")
	fl.StringVar(&f.method, "method", "", "force a method: server (MySQL on both sides) or rows")
	fl.IntVar(&f.show, "show", 20, "differing keys listed per table")
	fl.DurationVar(&f.retryFor, "retry-for", 2*time.Minute, "how long to retry lost connections before giving up (first contact: at most 10s)")
	fl.BoolVar(&f.triggers, "allow-target-triggers", false, "let --repair write to target tables that have triggers")
	return c
}

func runVerify(ctx context.Context, s IO, f *verifyFlags) error {
	if !f.complete() {
		return exitf(ExitUsage, "verify needs --from, --to and at least one --table")
	}
	share, err := parseShare(f.sample)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	if f.retryFor < 0 || f.chunkRows < 0 || f.workers < 0 {
		return exitf(ExitUsage, "verify: --retry-for, --chunk-rows and --workers cannot be negative")
	}
	if f.minMatch < 0 || f.minMatch > 1 {
		return exitf(ExitUsage, "--min-match %g is not between 0 and 1", f.minMatch)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	src, dst, closeDBs, err := f.open(ctx, s.Err, f.retryFor)
	if err != nil {
		return err
	}
	defer closeDBs()

	prog := &verifyProgress{w: s.Err, every: 5 * time.Second}
	listed := map[string]bool{} // tables whose differences were printed before their repair
	res, err := engine.Verify(ctx, src, dst, engine.VerifyOptions{
		Tables: f.tables, Where: f.where, Sample: share, Repair: f.repair, MinMatch: f.minMatch,
		ChunkRows: f.chunkRows, Workers: f.workers, Method: f.method, MaxDiffs: max(f.show, 1) * len(f.tables),
		Progress: prog.report, RetryFor: f.retryFor, AllowTargetTriggers: f.triggers,
		BeforeRepair: func(t engine.VerifyTable) {
			printVerifyTable(s.Out, t, f.show, false)
			fmt.Fprintf(s.Out, "  repairing %s from the source…\n", text.Counts(t.DiffCount, "difference"))
			listed[t.Table] = true
		},
	})
	if err := refused(s, err); err != nil {
		return err
	}
	done := res.Tables
	if err != nil && len(done) > 0 && !listed[done[len(done)-1].Table] {
		done = done[:len(done)-1] // the table that failed has no verdict to print
	}
	for _, t := range done {
		if listed[t.Table] {
			printRepairs(s.Out, t, f.show)
			continue
		}
		printVerifyTable(s.Out, t, f.show, f.repair)
	}
	if err != nil {
		return withCode(ExitUsage, err)
	}
	if !res.Passed {
		return exitf(ExitStopped, "verify: %s of %s rows match (rate %s), %s", humanize.Comma(res.Matched), humanize.Comma(res.Rows),
			formatRate(res.MatchRate), text.Counts(res.Remaining, "difference"))
	}
	return nil
}

// parseShare reads "10%", "0.1" or "" (every chunk).
func parseShare(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	pct := strings.HasSuffix(s, "%")
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err == nil && pct {
		v /= 100
	}
	if err != nil || v <= 0 || v > 1 {
		return 0, fmt.Errorf("--sample %q: want a share such as 10%% or 0.1", s)
	}
	return v, nil
}

// printVerifyTable writes one table's verdict: rows, chunks, match rate,
// then the first differing keys and a count of the rest.
func printVerifyTable(w io.Writer, t engine.VerifyTable, show int, repair bool) {
	method := "server checksums"
	if t.Method == engine.MethodRows {
		method = "rows compared"
	}
	fmt.Fprintf(w, "%s: %s rows, %s (%s), match rate %s, %s in %.1fs (%s rows/s)\n",
		inert.Line(t.Table), humanize.Comma(t.Rows), text.Counts(t.Chunks, "chunk"), method, formatRate(t.MatchRate),
		text.Counts(t.DiffCount, "difference"), t.Seconds, humanize.Comma(int64(t.RowsPerSec)))
	if t.Sampled != "" {
		fmt.Fprintf(w, "  %s\n", inert.Line(t.Sampled))
	}
	if t.DiffCount > 0 {
		fmt.Fprintf(w, "  %s missing, %s extra, %s different; %s of %s chunks differ\n",
			humanize.Comma(t.Missing), humanize.Comma(t.Extra), humanize.Comma(t.Different), humanize.Comma(int64(t.ChunksDiffering)), humanize.Comma(int64(t.ChunksChecked)))
		for i, d := range t.Diffs {
			if i >= show {
				break
			}
			fmt.Fprintf(w, "  %s\n", diffLine(d))
		}
		if rest := t.DiffCount - int64(min(show, len(t.Diffs))); rest > 0 {
			fmt.Fprintf(w, "  … and %s more\n", humanize.Comma(rest))
		}
	}
	if repair && t.DiffCount > 0 {
		printRepairs(w, t, show)
	}
}

// printRepairs writes what a repair changed and what it left.
func printRepairs(w io.Writer, t engine.VerifyTable, show int) {
	fmt.Fprintf(w, "  repaired %s from the source; %s after the repair\n", text.Counts(t.Repaired, "row"), text.Counts(t.Remaining, "difference"))
	shown := min(show, len(t.Repairs))
	for _, r := range t.Repairs[:shown] {
		fmt.Fprintf(w, "  %s\n", inert.Line(fmt.Sprintf("%-9s key (%s)", r.Action, strings.Join(r.Key, ", "))))
	}
	if rest := t.Repaired - int64(shown); rest > 0 {
		fmt.Fprintf(w, "  … and %s more repaired\n", humanize.Comma(rest))
	}
	for i, d := range t.RemainingDiffs {
		if i >= show {
			break
		}
		fmt.Fprintf(w, "  still: %s\n", diffLine(d))
	}
}

// diffLine is a differing row: its key values come from the database and
// are shown inert.
func diffLine(d engine.RowDiff) string {
	s := fmt.Sprintf("%-9s key (%s)", d.Type, strings.Join(d.Key, ", "))
	if len(d.Columns) > 0 {
		s += ": " + strings.Join(d.Columns, ", ")
	}
	return inert.Line(s)
}

func formatRate(r float64) string { return strconv.FormatFloat(r*100, 'f', 4, 64) + "%" }

// verifyProgress prints a progress line now and then, on stderr.
type verifyProgress struct {
	mu    sync.Mutex
	w     io.Writer
	every time.Duration
	last  time.Time
}

func (p *verifyProgress) report(pr engine.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if p.last.IsZero() {
		p.last = now // nothing for runs shorter than one period
		return
	}
	if now.Sub(p.last) < p.every {
		return
	}
	p.last = now
	total := "?"
	if pr.Total > 0 {
		total = humanize.Comma(pr.Total)
	}
	line := fmt.Sprintf("%s: %s/%s rows, %s rows/s", pr.Table, humanize.Comma(pr.Done), total, humanize.Comma(int64(pr.RowsPerSec)))
	if pr.Note != "" {
		line += ", " + pr.Note
	}
	fmt.Fprintln(p.w, inert.Line(line))
}
