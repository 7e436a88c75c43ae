package checks

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"runway/runbook"
)

func TestNewRejects(t *testing.T) {
	d := runbook.Duration(time.Second)
	tests := []struct {
		name string
		spec runbook.Spec
		err  string
	}{
		{"no kind", runbook.Spec{}, "item has no kind"},
		{"manual", runbook.Spec{Manual: &runbook.Manual{}}, "manual item is a sign-off"},
		{"engine", runbook.Spec{Copy: &runbook.Copy{}}, "copy item is a data engine"},
		{"compare", runbook.Spec{Compare: &runbook.Compare{}}, "compare item is a data engine"},
		{"empty command", runbook.Spec{Command: &runbook.Command{}}, "command check: run is empty"},
		{"bad output regexp", runbook.Spec{Command: &runbook.Command{Run: "true", ExpectOutput: "("}}, "command check: expect_output:"},
		{"sql without conn", runbook.Spec{SQL: &runbook.SQL{Query: "SELECT 1"}}, "sql check: conn is empty"},
		{"sql with nothing", runbook.Spec{SQL: &runbook.SQL{Conn: "db"}}, "needs query or exec"},
		{"sql with both", runbook.Spec{SQL: &runbook.SQL{Conn: "db", Query: "SELECT 1", Exec: "DELETE FROM t"}}, "has both query and exec"},
		{"sql exec with expect", runbook.Spec{SQL: &runbook.SQL{Conn: "db", Exec: "DELETE FROM t", Expect: "1"}}, "expect applies to query"},
		{"sql bad expect", runbook.Spec{SQL: &runbook.SQL{Conn: "db", Query: "SELECT 1", Expect: ">= many"}}, "sql check: expect:"},
		{"tcp without port", runbook.Spec{TCP: &runbook.TCP{Address: "db.internal"}}, "want host:port"},
		{"http without scheme", runbook.Spec{HTTP: &runbook.HTTP{URL: "example.com/health"}}, "url: want http"},
		{"http bad body regexp", runbook.Spec{HTTP: &runbook.HTTP{URL: "http://x/", ExpectBody: "[a"}}, "expect_body:"},
		{"wait without check", runbook.Spec{Wait: &runbook.Wait{Every: d, For: d}}, "check: no kind given"},
		{"wait of a wait", runbook.Spec{Wait: &runbook.Wait{Check: runbook.Spec{Wait: &runbook.Wait{}}, Every: d, For: d}}, "a wait item cannot be repeated"},
		{"wait of a manual", runbook.Spec{Wait: &runbook.Wait{Check: runbook.Spec{Manual: &runbook.Manual{}}, Every: d, For: d}}, "a manual item cannot be repeated"},
		{"wait of an engine", runbook.Spec{Wait: &runbook.Wait{Check: runbook.Spec{Verify: &runbook.Verify{}}, Every: d, For: d}}, "a verify item cannot be repeated"},
		{"wait without every", runbook.Spec{Wait: &runbook.Wait{Check: runbook.Spec{TCP: &runbook.TCP{Address: "a:1"}}, For: d}}, "every must be positive"},
		{"wait without for", runbook.Spec{Wait: &runbook.Wait{Check: runbook.Spec{TCP: &runbook.TCP{Address: "a:1"}}, Every: d}}, "for must be positive"},
		{"wait bad ratio", runbook.Spec{Wait: &runbook.Wait{Check: runbook.Spec{TCP: &runbook.TCP{Address: "a:1"}}, Every: d, For: d, MaxFailureRatio: 2}}, "between 0 and 1"},
		{"wait bad inner", runbook.Spec{Wait: &runbook.Wait{Check: runbook.Spec{TCP: &runbook.TCP{Address: "nope"}}, Every: d, For: d}}, "wait check: tcp check: address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.spec)
			if err == nil || c != nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("New = %v, %v; want an error containing %q", c, err, tt.err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error spans lines: %q", err)
			}
		})
	}
}

func TestDefaultTimeout(t *testing.T) {
	tests := []struct {
		spec runbook.Spec
		want time.Duration
	}{
		{runbook.Spec{Command: &runbook.Command{}}, 10 * time.Minute},
		{runbook.Spec{SQL: &runbook.SQL{}}, time.Minute},
		{runbook.Spec{TCP: &runbook.TCP{}}, 5 * time.Second},
		{runbook.Spec{HTTP: &runbook.HTTP{}}, 10 * time.Second},
		{runbook.Spec{Wait: &runbook.Wait{For: runbook.Duration(24 * time.Hour), Every: runbook.Duration(time.Minute)}}, 24*time.Hour + 2*time.Minute},
		{runbook.Spec{Manual: &runbook.Manual{}}, 0},
		{runbook.Spec{Copy: &runbook.Copy{}}, 0},
	}
	for _, tt := range tests {
		if got := DefaultTimeout(tt.spec); got != tt.want {
			t.Errorf("DefaultTimeout(%s) = %v, want %v", tt.spec.Kind(), got, tt.want)
		}
	}
	item := runbook.Item{Timeout: runbook.Duration(90 * time.Second), Spec: runbook.Spec{Command: &runbook.Command{}}}
	if got := ItemTimeout(item); got != 90*time.Second {
		t.Errorf("ItemTimeout with its own timeout = %v", got)
	}
	item.Timeout = 0
	if got := ItemTimeout(item); got != 10*time.Minute {
		t.Errorf("ItemTimeout by default = %v", got)
	}
}

func TestStopText(t *testing.T) {
	blocks := guarded{kind: "fake", r: runnerFunc(func(ctx context.Context, _ Env) Result {
		<-ctx.Done()
		return Result{Passed: true, Summary: "query failed: " + ctx.Err().Error(), Output: "partial"}
	})}
	late := guarded{kind: "fake", r: runnerFunc(func(ctx context.Context, _ Env) Result {
		<-ctx.Done()
		return Result{Summary: "3 runs so far"}
	})}

	res := Run(context.Background(), blocks, Env{}, 20*time.Millisecond)
	if res.Passed || res.Summary != "timed out after 20ms" || res.Output != "partial" {
		t.Errorf("WithTimeout: %+v", res)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	ctx, cancel2 := context.WithDeadline(ctx, time.Now().Add(20*time.Millisecond))
	res = late.Run(ctx, Env{})
	cancel()
	cancel2()
	if res.Passed || !strings.HasPrefix(res.Summary, "timed out after ") || !strings.HasSuffix(res.Summary, "ms: 3 runs so far") {
		t.Errorf("plain deadline: %q", res.Summary)
	}

	ctx, cancelCause := context.WithCancelCause(context.Background())
	cancelCause(errors.New("operator aborted the session"))
	if res = blocks.Run(ctx, Env{}); res.Passed || res.Summary != "cancelled: operator aborted the session" {
		t.Errorf("cancel with cause: %q", res.Summary)
	}

	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if res = late.Run(ctx, Env{}); res.Passed || res.Summary != "cancelled" {
		t.Errorf("cancel before start: %q", res.Summary)
	}
}

func TestGuardedNeverPanics(t *testing.T) {
	const secret = "s3cret-value"
	g := guarded{kind: "fake", r: runnerFunc(func(context.Context, Env) Result { panic("bad state near " + secret) })}
	res := g.Run(context.Background(), Env{Redact: func(s string) string { return strings.ReplaceAll(s, secret, "***") }})
	if res.Passed || res.Summary != "fake check failed unexpectedly: bad state near ***" {
		t.Fatalf("got %+v", res)
	}
}

func TestSummaryIsOneLine(t *testing.T) {
	g := guarded{kind: "fake", r: runnerFunc(func(context.Context, Env) Result {
		return Result{Summary: "error near line 1:\n  SELEC 1\n  ^"}
	})}
	if got := g.Run(context.Background(), Env{}).Summary; got != "error near line 1: SELEC 1 ^" {
		t.Fatalf("Summary = %q", got)
	}
}

// The checks package stays free of the UI and of the data engines.
func TestDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "runway/checks").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/charmbracelet/") || dep == "runway/engine" || strings.HasPrefix(dep, "runway/engine/") {
			t.Errorf("checks depends on %s", dep)
		}
	}
}
