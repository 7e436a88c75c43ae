package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"runway/engine"
	"runway/runbook/text"
	"runway/ui/inert"
)

// copyFlags are the flags of `runway copy`.
type copyFlags struct {
	endpoints
	create    bool
	rate      int
	job       string
	chunkTime time.Duration
	writers   int
	retryFor  time.Duration
	plan      bool
	triggers  bool // --allow-target-triggers
}

// newCopy is `runway copy --from URL --to URL --table T[,T2]`: the copy
// engine outside a runbook, for scripts and benchmarks.
func newCopy(g *Globals, s IO) *cobra.Command {
	f := &copyFlags{endpoints: endpoints{createTarget: true}}
	c := &cobra.Command{
		Use:   "copy --from URL --to URL --table T[,T2…]",
		Short: "Copy tables between MySQL/MariaDB, PostgreSQL and SQLite, resumably",
		Long: "Copy tables in key order, chunk by chunk, with idempotent upserts. Each chunk is\n" +
			"committed on the target together with its checkpoint (table _runway_checkpoints),\n" +
			"so rerunning the same command after a stop or a crash resumes after the last\n" +
			"committed chunk. A finished table is checked first (rows and key range on both sides\n" +
			"up to its last key): skipped when they agree, copied again when the target\n" +
			"lacks rows. Lost connections are retried. A row the target refuses is named by key.\n\n" +
			"A missing target table is created (types translated across engines) unless\n" +
			"--create=false; an existing one must have the same columns.\n\n" +
			"URLs: mysql://user@host[:port]/db, postgres://user@host[:port]/db or sqlite:PATH.\n" +
			"A password comes from RUNWAY_FROM_PASSWORD / RUNWAY_TO_PASSWORD, else for MySQL\n" +
			"from --defaults-file or ~/.my.cnf ([client] password=), for PostgreSQL from\n" +
			"PGPASSWORD or ~/.pgpass; one written in the URL works but every user can see it.\n" +
			"A source SQLite file must exist; a target one is created if its folder exists.\n" +
			"Before anything moves, every table is checked on both sides (it exists and is a\n" +
			"base table with a key, the target fits or will be created, no two names land in\n" +
			"one target table, no target triggers); all problems are listed at once and\n" +
			"nothing is written. --plan prints that check as a plan and stops.\n\n" +
			"Exit status: 0 copied (or, with --plan, no problems), 1 the copy failed or was\n" +
			"stopped, 2 bad usage, a problem found before the copy, or a database that cannot\n" +
			"be opened (a missing file, a server not reachable, a login refused).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCopy(cmd.Context(), s, f)
		},
	}
	fl := c.Flags()
	f.register(c, "source database URL", "table to copy (repeat or comma-separate)", "copy only source rows matching this SQL condition")
	fl.BoolVar(&f.create, "create", true, "create missing target tables (--create=false refuses them)")
	fl.IntVar(&f.rate, "rate", 0, "rate limit in rows per second (0 = none)")
	fl.StringVar(&f.job, "job", "", "checkpoint name (default: derived from --from, --to and --where)")
	fl.DurationVar(&f.chunkTime, "chunk-time", 500*time.Millisecond, "target time per chunk")
	fl.IntVar(&f.writers, "writers", 0, "parallel writer connections on a MySQL or PostgreSQL target (default 2 on MySQL, 1 on PostgreSQL)")
	fl.DurationVar(&f.retryFor, "retry-for", 2*time.Minute, "how long to retry lost connections before giving up (first contact: at most 10s)")
	fl.BoolVar(&f.plan, "plan", false, "print what the copy would do and every problem, and write nothing")
	fl.BoolVar(&f.triggers, "allow-target-triggers", false, "write to target tables that have triggers (they fire on every copied row)")
	return c
}

func runCopy(ctx context.Context, s IO, f *copyFlags) error {
	if !f.complete() {
		return exitf(ExitUsage, "copy needs --from, --to and at least one --table")
	}
	if f.rate < 0 || f.writers < 0 || f.chunkTime < 0 || f.retryFor < 0 {
		return exitf(ExitUsage, "copy: --rate, --writers, --chunk-time and --retry-for cannot be negative")
	}
	// The copy holds a few chunks of at most 8 MiB; a soft limit keeps the
	// garbage collector from letting the heap grow far beyond them.
	debug.SetMemoryLimit(96 << 20)
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	src, dst, closeDBs, err := f.open(ctx, s.Err, f.retryFor)
	if err != nil {
		return err
	}
	defer closeDBs()
	if f.plan {
		return printCopyPlan(ctx, s, f, src, dst)
	}

	p := newCopyProgress(s.Err)
	res, err := engine.Copy(ctx, src, dst, engine.CopyOptions{
		Tables: f.tables, Where: f.where, Create: f.create, Job: f.job, ChunkTime: f.chunkTime,
		Control: engine.NewControl(f.rate), Progress: p.report, Writers: f.writers, RetryFor: f.retryFor,
		AllowTargetTriggers: f.triggers,
	})
	p.finish()
	if err := refused(s, err); err != nil {
		return err
	}
	for i, t := range res.Tables {
		if err != nil && i == len(res.Tables)-1 && t.Rows == 0 && !t.Skipped {
			break // the table that failed before copying anything: the error says it
		}
		fmt.Fprintln(s.Out, inert.Line(copySummary(t)))
		for _, n := range t.NotCarried {
			fmt.Fprintln(s.Out, inert.Line("  "+n))
		}
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return exitf(ExitStopped, "%v; rerun the same command to resume", err)
		}
		return withCode(ExitStopped, err)
	}
	return nil
}

// copySummary is the final line for one table.
func copySummary(t engine.TableResult) string {
	if t.Skipped {
		line := fmt.Sprintf("%s: already copied (%s), skipped", t.Table, text.Counts(t.Total, "row"))
		if t.Note != "" {
			line += "; " + t.Note
		}
		return line
	}
	line := fmt.Sprintf("%s: %s in %.2fs (%s rows/s)", t.Table, text.Counts(t.Rows, "row"), t.Seconds, humanize.Comma(int64(t.RowsPerSec)))
	var extra []string
	if t.Resumed {
		extra = append(extra, fmt.Sprintf("resumed, %s in all", text.Counts(t.Total, "row")))
	}
	if t.Created {
		extra = append(extra, "table created")
	}
	if t.Retries > 0 {
		extra = append(extra, fmt.Sprintf("%d retries", t.Retries))
	}
	if t.Note != "" { // copied again: the finished checkpoint did not hold
		extra = append(extra, t.Note)
	}
	if len(extra) > 0 {
		line += ", " + strings.Join(extra, ", ")
	}
	return line
}

// copyProgress prints engine progress on stderr: one rewritten line about
// four times a second on a terminal, otherwise a line a second at most, and
// notes (resumed, retrying, done) as they come.
type copyProgress struct {
	mu       sync.Mutex
	w        io.Writer
	tty      bool
	every    time.Duration
	last     time.Time
	lastNote string
	open     bool // a terminal line is waiting for its newline
}

func newCopyProgress(w io.Writer) *copyProgress {
	p := &copyProgress{w: w, every: time.Second}
	if f, ok := w.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		p.tty, p.every = true, 250*time.Millisecond
	}
	return p
}

func (p *copyProgress) report(pr engine.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	note := pr.Note
	if note == "done" {
		return // the summary says it
	}
	if note != "" && note != p.lastNote {
		p.lastNote = note
	} else if now.Sub(p.last) < p.every {
		return
	} else {
		note = ""
	}
	p.last = now
	line := progressLine(pr, note)
	if p.tty {
		if note != "" { // notes stay on screen; plain progress rewrites its line
			fmt.Fprintln(p.w, "\r\033[K"+line)
			p.open = false
			return
		}
		fmt.Fprint(p.w, "\r\033[K"+line)
		p.open = true
		return
	}
	fmt.Fprintln(p.w, line)
}

// finish ends a rewritten terminal line.
func (p *copyProgress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.open {
		fmt.Fprintln(p.w)
		p.open = false
	}
}

func progressLine(pr engine.Progress, note string) string {
	total := "?"
	pct := ""
	if pr.Total > 0 {
		total = humanize.Comma(pr.Total)
		pct = fmt.Sprintf(" (%.1f%%)", 100*float64(pr.Done)/float64(pr.Total))
	}
	line := fmt.Sprintf("%s: %s/%s rows%s", pr.Table, humanize.Comma(pr.Done), total, pct)
	if pr.RowsPerSec > 0 {
		line += ", " + humanize.Comma(int64(pr.RowsPerSec)) + " rows/s"
	}
	if pr.ETA > 0 {
		line += ", ETA " + pr.ETA.String()
	}
	if note != "" {
		line += ", " + note
	}
	return inert.Line(line)
}
