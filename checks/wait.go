package checks

import (
	"context"
	"fmt"
	"strings"
	"time"

	"runway/runbook"
	"runway/runbook/text"
)

// progressTick is how often a soak reports its time left between runs.
const progressTick = time.Second

// waitCheck repeats another check every interval for a soak period.
type waitCheck struct {
	inner        Check
	innerTimeout time.Duration // the inner kind's default timeout
	every, soak  time.Duration
	maxFailures  int
	maxRatio     float64
}

func newWait(w *runbook.Wait) (runner, error) {
	switch kind := w.Check.Kind(); {
	case kind == "":
		return nil, fmt.Errorf("check: no kind given")
	case kind == "wait" || kind == "manual" || w.Check.IsEngine():
		return nil, fmt.Errorf("check: a %s item cannot be repeated", kind)
	case w.Every <= 0:
		return nil, fmt.Errorf("every must be positive")
	case w.For <= 0:
		return nil, fmt.Errorf("for must be positive")
	case w.MaxFailures < 0:
		return nil, fmt.Errorf("max_failures must not be negative")
	case w.MaxFailureRatio < 0 || w.MaxFailureRatio > 1:
		return nil, fmt.Errorf("max_failure_ratio must be between 0 and 1")
	}
	inner, err := New(w.Check)
	if err != nil {
		return nil, err
	}
	return &waitCheck{
		inner:        inner,
		innerTimeout: DefaultTimeout(w.Check),
		every:        w.Every.D(),
		soak:         w.For.D(),
		maxFailures:  w.MaxFailures,
		maxRatio:     w.MaxFailureRatio,
	}, nil
}

// strict: no failure is tolerated, so the first one ends the soak.
func (w *waitCheck) strict() bool { return w.maxFailures == 0 && w.maxRatio == 0 }

// soakRun is the tally of one soak.
type soakRun struct {
	runs, failures int
	log            strings.Builder // one line per failed run
}

// run runs the inner check at 0, every, 2·every, … and once more at the end
// of the soak period. A run that overruns its slot delays the next one
// instead of piling runs up. Only a soak that ran at least once can pass.
func (w *waitCheck) run(ctx context.Context, env Env) Result {
	start := time.Now()
	end := start.Add(w.soak)
	inner := Env{Dir: env.Dir, DB: env.DB, Redact: env.Redact}
	var s soakRun
	w.report(env, &s, end)
	for next := time.Duration(0); ; {
		if !w.sleepUntil(ctx, env, &s, start.Add(next), end) {
			return Result{Summary: s.counts() + " so far", Output: s.log.String()}
		}
		limit := w.runLimit(ctx, end)
		if limit <= 0 { // only after overrunning runs: the window is spent
			break
		}
		r := Run(ctx, w.inner, inner, limit)
		if ctx.Err() != nil { // the run was cut short by the soak's own stop
			return Result{Summary: s.counts() + " so far", Output: s.log.String()}
		}
		s.runs++
		if !r.Passed {
			s.failures++
			fmt.Fprintf(&s.log, "run %d at +%s: %s\n", s.runs, text.Duration(time.Since(start)), r.Summary)
			if r.Output != "" {
				fmt.Fprintf(&s.log, "%s\n", indent(lastLines(r.Output, 20)))
			}
		}
		w.report(env, &s, end)
		if !r.Passed && w.strict() {
			return Result{
				Summary: fmt.Sprintf("soak %s: failed on run %d after %s: %s", text.Duration(w.soak), s.runs, text.Duration(time.Since(start)), r.Summary),
				Output:  s.log.String(),
			}
		}
		if w.maxFailures > 0 && s.failures > w.maxFailures {
			return Result{
				Summary: fmt.Sprintf("soak %s: %s, more than the %d tolerated", text.Duration(w.soak), s.counts(), w.maxFailures),
				Output:  s.log.String(),
			}
		}
		if next >= w.soak {
			break
		}
		next = min(w.soak, max(next+w.every, time.Since(start)))
	}
	summary := fmt.Sprintf("soak %s: %s", text.Duration(w.soak), s.counts())
	if s.runs == 0 {
		return Result{Summary: summary}
	}
	if w.maxRatio > 0 {
		if ratio := float64(s.failures) / float64(s.runs); ratio > w.maxRatio {
			return Result{
				Summary: fmt.Sprintf("%s (%.1f%%, above the %.1f%% tolerated)", summary, 100*ratio, 100*w.maxRatio),
				Output:  s.log.String(),
			}
		}
	}
	return Result{Passed: true, Summary: summary, Output: s.log.String()}
}

// runLimit is how long the next run may take: the inner kind's default
// timeout, bounded by what remains of the soak's own time (its context's
// deadline, else the DefaultTimeout of a wait: the period, one interval and
// a minute), so the last run at the end of the period still has room.
func (w *waitCheck) runLimit(ctx context.Context, end time.Time) time.Duration {
	limit := min(w.innerTimeout, time.Until(end.Add(w.every+time.Minute)))
	if dl, ok := ctx.Deadline(); ok {
		limit = min(limit, time.Until(dl))
	}
	return limit
}

// sleepUntil waits for the next run, reporting the time left now and then.
// It is false when ctx ends first.
func (w *waitCheck) sleepUntil(ctx context.Context, env Env, s *soakRun, at, end time.Time) bool {
	for {
		d := time.Until(at)
		if d <= 0 {
			return ctx.Err() == nil
		}
		t := time.NewTimer(min(d, progressTick))
		select {
		case <-ctx.Done():
			t.Stop()
			return false
		case <-t.C:
			if time.Until(at) > 0 {
				w.report(env, s, end)
			}
		}
	}
}

func (w *waitCheck) report(env Env, s *soakRun, end time.Time) {
	left := max(0, time.Until(end))
	env.progress(Progress{
		Note:      fmt.Sprintf("%s, %s left", s.counts(), text.Duration(left)),
		Fraction:  min(1, max(0, 1-float64(left)/float64(w.soak))),
		Remaining: left,
	})
}

func (s *soakRun) counts() string {
	return text.Counts(s.failures, "failure") + " in " + text.Counts(s.runs, "run")
}

// lastLines keeps the end of a failed run's output: that is where the error is.
func lastLines(s string, n int) string {
	s = strings.TrimRight(s, "\n")
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}
