// Package checks runs the automated checklist items of a runbook (command,
// sql, tcp, http, wait) behind one small interface, and holds the rules of
// manual sign-offs. Every check honours its context: a timeout or a
// cancellation ends it with a failed Result that says so.
package checks

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"runway/runbook"
	"runway/runbook/text"
)

// Env is what a check needs from the session that runs it.
type Env struct {
	Dir      string                             // runbook folder: commands run here
	DB       func(conn string) (*sql.DB, error) // named connections, opened and owned by the executor
	Redact   func(string) string                // masks secrets; nil = identity
	Progress func(Progress)                     // optional live status (wait: time left); must not block
	// Started, optional, learns a command's process group id once it
	// started (the shell's pid: it leads its own group), to be recorded
	// before the command has done much.
	Started func(pgid int)
	// KillGrace is how long a stopped command's process group has
	// between SIGTERM and SIGKILL (killGrace when zero).
	KillGrace time.Duration
}

// Progress is a live status report from a long check.
type Progress struct {
	Note      string
	Fraction  float64       // 0..1
	Remaining time.Duration // time left, when known
}

// Result is the verdict of one run of a check.
type Result struct {
	Passed  bool
	Summary string // one line, redacted: "exit 0 (expected 0)", "HTTP 503, expected 200"
	Output  string // captured output, bounded (head and tail, the cut marked), redacted
}

// Check is one automated checklist item, ready to run. Run never panics; when
// ctx is cancelled or times out it returns Passed=false with a Summary saying
// "timed out after 5m" or "cancelled".
type Check interface {
	Run(ctx context.Context, env Env) Result
}

// New builds the check for an item kind: command, sql, tcp, http, wait,
// notify or prom. Manual items and data engines are not checks and return an
// error, as does a spec with invalid fields.
func New(spec runbook.Spec) (Check, error) {
	var (
		r   runner
		err error
	)
	switch kind := spec.Kind(); kind {
	case "command":
		r, err = newCommand(spec.Command)
	case "sql":
		r, err = newSQL(spec.SQL)
	case "tcp":
		r, err = newTCP(spec.TCP)
	case "http":
		r, err = newHTTP(spec.HTTP)
	case "wait":
		r, err = newWait(spec.Wait)
	case "notify":
		r, err = newNotify(spec.Notify)
	case "prom":
		r, err = newProm(spec.Prom)
	case "manual":
		return nil, fmt.Errorf("manual item is a sign-off, not an automated check")
	case "":
		return nil, fmt.Errorf("item has no kind")
	default:
		return nil, fmt.Errorf("%s item is a data engine, not a check", kind)
	}
	if err != nil {
		return nil, fmt.Errorf("%s check: %w", spec.Kind(), err)
	}
	return guarded{kind: spec.Kind(), r: r}, nil
}

// DefaultTimeout is a kind's timeout when the item sets none: command 10m,
// sql 1m, tcp 5s, http 10s, wait its soak period plus one interval plus 1m.
// Manual items and data engines have no default (0).
func DefaultTimeout(spec runbook.Spec) time.Duration {
	switch {
	case spec.Command != nil:
		return 10 * time.Minute
	case spec.SQL != nil:
		return time.Minute
	case spec.TCP != nil:
		return 5 * time.Second
	case spec.HTTP != nil, spec.Prom != nil:
		return 10 * time.Second
	case spec.Wait != nil:
		return spec.Wait.For.D() + spec.Wait.Every.D() + time.Minute
	case spec.Notify != nil:
		return 30 * time.Second
	}
	return 0
}

// ItemTimeout is the item's own timeout, or its kind's default.
func ItemTimeout(item runbook.Item) time.Duration {
	if item.Timeout > 0 {
		return item.Timeout.D()
	}
	return DefaultTimeout(item.Spec)
}

// Run runs c under a timeout (none when d <= 0), so that a timed-out Result
// names the timeout exactly ("timed out after 5m").
func Run(ctx context.Context, c Check, env Env, d time.Duration) Result {
	ctx, cancel := WithTimeout(ctx, d)
	defer cancel()
	return c.Run(ctx, env)
}

// runner is what each kind implements; guarded wraps it with the promises
// every Check makes (no panic, stop reported, redaction, bounded output).
type runner interface {
	run(ctx context.Context, env Env) Result
}

type guarded struct {
	kind string
	r    runner
}

func (g guarded) Run(ctx context.Context, env Env) (res Result) {
	start := time.Now()
	redact := env.redact()
	defer func() {
		if p := recover(); p != nil {
			res = Result{Summary: fmt.Sprintf("%s check failed unexpectedly: %v", g.kind, p)}
		}
		if ctx.Err() != nil {
			res = stoppedResult(ctx, start, res)
		}
		res.Summary = text.OneLine(redact(res.Summary))
		res.Output = clip(redact(res.Output))
	}()
	if ctx.Err() != nil {
		return Result{}
	}
	return g.r.run(ctx, env)
}

// redact is Env.Redact, or the identity when unset.
func (e Env) redact() func(string) string {
	if e.Redact == nil {
		return func(s string) string { return s }
	}
	return e.Redact
}

// progress reports p when the session listens.
func (e Env) progress(p Progress) {
	if e.Progress != nil {
		e.Progress(p)
	}
}
