package checks

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"runway/runbook"
)

// fakeCheck answers run n (1-based) with fn.
type fakeCheck struct {
	calls atomic.Int32
	fn    func(ctx context.Context, n int) Result
}

func (f *fakeCheck) Run(ctx context.Context, _ Env) Result {
	return f.fn(ctx, int(f.calls.Add(1)))
}

func failOn(runs ...int) func(context.Context, int) Result {
	return func(_ context.Context, n int) Result {
		for _, r := range runs {
			if r == n || r == -1 {
				return Result{Summary: fmt.Sprintf("boom %d", n), Output: "details\n"}
			}
		}
		return Result{Passed: true, Summary: "fine"}
	}
}

func soak(inner Check, every, soak time.Duration, maxFailures int, ratio float64) Check {
	return guarded{kind: "wait", r: &waitCheck{
		inner: inner, innerTimeout: time.Minute, every: every, soak: soak,
		maxFailures: maxFailures, maxRatio: ratio,
	}}
}

func TestWait(t *testing.T) {
	const every, period = time.Millisecond, 20 * time.Millisecond
	tests := []struct {
		name        string
		fn          func(context.Context, int) Result
		maxFailures int
		ratio       float64
		passed      bool
		calls       int    // exact number of inner runs, 0 = whatever the clock allowed
		summary     string // with %d for the number of runs when calls is 0
	}{
		{"all pass", failOn(), 0, 0, true, 0, "soak 20ms: 0 failures in %d runs"},
		{"first failure ends a strict soak", failOn(3), 0, 0, false, 3, "soak 20ms: failed on run 3 after "},
		{"failures above the count", failOn(-1), 2, 0, false, 3, "soak 20ms: 3 failures in 3 runs, more than the 2 tolerated"},
		{"failures within the count", failOn(1, 2), 2, 0, true, 0, "soak 20ms: 2 failures in %d runs"},
		{"ratio within", failOn(1), 0, 0.5, true, 0, "soak 20ms: 1 failure in %d runs"},
		{"ratio above is judged at the end", failOn(-1), 0, 0.5, false, 0, "soak 20ms: %[1]d failures in %[1]d runs (100.0%%, above the 50.0%% tolerated)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inner := &fakeCheck{fn: tt.fn}
			res := soak(inner, every, period, tt.maxFailures, tt.ratio).Run(context.Background(), Env{})
			calls := int(inner.calls.Load())
			if tt.calls != 0 && calls != tt.calls {
				t.Errorf("inner ran %d times, want %d", calls, tt.calls)
			}
			if calls < 2 && tt.calls == 0 {
				t.Errorf("inner ran %d times: a soak runs at its start and at its end", calls)
			}
			want := tt.summary
			if strings.Contains(want, "%") {
				want = fmt.Sprintf(want, calls)
			}
			if res.Passed != tt.passed || !strings.HasPrefix(res.Summary, want) {
				t.Errorf("got %v %q; want %v %q", res.Passed, res.Summary, tt.passed, want)
			}
			if !tt.passed && !strings.Contains(res.Output, "boom") {
				t.Errorf("failed runs not listed in output: %q", res.Output)
			}
		})
	}
}

func TestWaitStrictFailureNamesTheRun(t *testing.T) {
	res := soak(&fakeCheck{fn: failOn(2)}, time.Millisecond, time.Hour, 0, 0).Run(context.Background(), Env{})
	if res.Passed || !strings.HasSuffix(res.Summary, ": boom 2") || !strings.Contains(res.Output, "run 2 at +") {
		t.Fatalf("got %v %q / %q", res.Passed, res.Summary, res.Output)
	}
}

// Each inner run is bounded by the inner kind's timeout; a run that times
// out is a failure of that run, not of the soak's own context.
func TestWaitInnerTimeout(t *testing.T) {
	blocks := &fakeCheck{fn: func(ctx context.Context, _ int) Result { <-ctx.Done(); return Result{} }}
	w := guarded{kind: "wait", r: &waitCheck{inner: guarded{kind: "fake", r: runnerFunc(blocks.Run)}, innerTimeout: 10 * time.Millisecond, every: time.Second, soak: time.Second}}
	res := w.Run(context.Background(), Env{})
	if res.Passed || !strings.HasPrefix(res.Summary, "soak 1s: failed on run 1 after ") || !strings.HasSuffix(res.Summary, ": timed out after 10ms") {
		t.Fatalf("got %v %q", res.Passed, res.Summary)
	}
}

func TestWaitCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	inner := &fakeCheck{fn: func(ctx context.Context, n int) Result {
		if n == 2 {
			cancel()
			<-ctx.Done()
			return Result{}
		}
		return Result{Passed: true}
	}}
	res := soak(inner, time.Millisecond, time.Hour, 0, 0).Run(ctx, Env{})
	if res.Passed || res.Summary != "cancelled: 0 failures in 1 run so far" {
		t.Fatalf("got %v %q", res.Passed, res.Summary)
	}
}

func TestWaitReportsTimeLeft(t *testing.T) {
	var (
		mu    sync.Mutex
		seen  []Progress
		inner = &fakeCheck{fn: failOn()}
	)
	env := Env{Progress: func(p Progress) { mu.Lock(); seen = append(seen, p); mu.Unlock() }}
	res := soak(inner, 2*time.Millisecond, 10*time.Millisecond, 0, 0).Run(context.Background(), env)
	if !res.Passed {
		t.Fatalf("soak failed: %q", res.Summary)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) < int(inner.calls.Load())+1 {
		t.Fatalf("%d progress reports for %d runs", len(seen), inner.calls.Load())
	}
	for i, p := range seen {
		if p.Fraction < 0 || p.Fraction > 1 || (i > 0 && p.Fraction < seen[i-1].Fraction) || !strings.HasSuffix(p.Note, " left") {
			t.Fatalf("report %d: %+v", i, p)
		}
	}
	if last := seen[len(seen)-1]; last.Fraction != 1 || last.Remaining != 0 || last.Note != fmt.Sprintf("0 failures in %d runs, 0s left", inner.calls.Load()) {
		t.Fatalf("last report %+v", last)
	}
}

func TestWaitWithACommand(t *testing.T) {
	chk, err := New(runbook.Spec{Wait: &runbook.Wait{
		Check: runbook.Spec{Command: &runbook.Command{Run: "test -f ok"}},
		Every: runbook.Duration(5 * time.Millisecond),
		For:   runbook.Duration(20 * time.Millisecond),
	}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	res := chk.Run(context.Background(), Env{Dir: dir})
	if res.Passed || !strings.HasPrefix(res.Summary, "soak 20ms: failed on run 1 after ") || !strings.HasSuffix(res.Summary, ": exit 1, expected 0") {
		t.Fatalf("without the file: got %v %q", res.Passed, res.Summary)
	}
	if err := os.WriteFile(filepath.Join(dir, "ok"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	res = chk.Run(context.Background(), Env{Dir: dir})
	if !res.Passed || !strings.HasPrefix(res.Summary, "soak 20ms: 0 failures in ") {
		t.Fatalf("with the file: got %v %q", res.Passed, res.Summary)
	}
}

type runnerFunc func(context.Context, Env) Result

func (f runnerFunc) run(ctx context.Context, env Env) Result { return f(ctx, env) }
