package session

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"runway/checks"
	"runway/engine"
	"runway/runbook"
	"runway/runbook/event"
	"runway/runbook/fold"
)

// EngineJob is what an engine runner gets to run one attempt of a data
// engine item (copy, verify, catchup, compare).
type EngineJob struct {
	Session, Phase string
	Item           runbook.Item
	Generation     int    // the phase's rollback generation (see PhaseState)
	Dir            string // runbook folder
	// Conns opens a named connection of the runbook. The session owns the
	// connections and closes them when it ends: runners never Close them.
	Conns func(name string) (*engine.DB, error)
	// Control is the item's live pause/resume/rate control, already set to the
	// item's rate (or the rate the lead last chose). Pass it to the engine.
	Control *engine.Control
	// Progress records a sample; latest wins per table. Cheap and non-blocking:
	// call it as often as the engine likes.
	Progress engine.ProgressFunc
	// Checkpoint records a committed chunk as a durable engine.checkpoint
	// event. It blocks until the event is written; call it after each commit.
	Checkpoint func(event.CheckpointPayload)
	// Plan records what the engine's preflight planned as a durable
	// engine.plan event, before the first write; nil in tests that need none.
	Plan func(event.PlanPayload)
	// Redact masks the runbook's secrets; the session redacts the summary and
	// errors again, but output built by the runner should use it too.
	Redact func(string) string
}

// JobID is the engine job's id, "<session>/<item>", with "/g<N>" after the
// phase's Nth rollback: a resumed session continues from the checkpoint the
// target holds under it, and a run after a rollback starts afresh instead of
// finding the undone work marked done.
func (j EngineJob) JobID() string {
	id := j.Session + "/" + j.Item.ID
	if j.Generation > 0 {
		id += fmt.Sprintf("/g%d", j.Generation)
	}
	return id
}

// EngineOutcome is what one attempt of a data engine item found.
type EngineOutcome struct {
	Summary event.EngineSummary // the engine's figures
	Passed  bool                // whether the item passed
	Line    string              // the one-line verdict
}

// EngineRunner runs one attempt of a data engine item. It returns the
// engine's outcome, and an error when the engine could not do its work (the
// item then fails with the error's text as summary; the outcome's figures
// are still recorded). To fail critically even on a non-critical item
// (compare's critical_below), return an error wrapping ErrCriticalFailure.
// It must honour ctx: on cancellation (the session closing, or the item's
// timeout) it stops at a checkpoint and returns promptly.
type EngineRunner func(ctx context.Context, job EngineJob) (EngineOutcome, error)

// ErrCriticalFailure marks an engine failure that holds the phase whatever
// the item's critical flag says.
var ErrCriticalFailure = errors.New("critical failure")

// engineRunners are the runners of the engine item kinds, one file each
// (engine_copy.go, engine_verify.go, engine_catchup.go, engine_compare.go);
// a new engine kind is one more file and one more line here. The executor
// looks the runner up when an item of that kind runs; an item whose kind has
// no runner fails with "no <kind> engine in this build". The executor owns
// everything around the runner: events, retries, timeouts, the stop rules,
// coalescing of progress (Live) and its ~1/s engine.progress telemetry.
var engineRunners = map[string]EngineRunner{
	"copy":    runCopy,
	"verify":  runVerify,
	"catchup": runCatchup,
	"compare": runCompare,
}

// engineRate is the rate an engine item starts with: the lead's last choice
// when there is one (no limit included), else the runbook's.
func engineRate(item runbook.Item, st *fold.ItemState) int {
	if st != nil && st.Engine != nil && (st.Engine.RateSet || st.Engine.Rate > 0) {
		return st.Engine.Rate
	}
	switch {
	case item.Copy != nil:
		return item.Copy.Rate
	case item.Catchup != nil:
		return item.Catchup.Rate
	}
	return 0
}

// runEngine runs one attempt of a data engine item through its runner.
func (s *Session) runEngine(ctx context.Context, phase string, item runbook.Item) outcome {
	kind := item.Kind()
	run := engineRunners[kind]
	if run == nil {
		return outcome{summary: fmt.Sprintf("no %s engine in this build", kind)}
	}
	st := s.State()
	ctl := engine.NewControl(engineRate(item, st.Item(phase, item.ID)))
	s.controls.set(item.ID, ctl)
	defer s.controls.drop(item.ID)
	job := EngineJob{
		Session: s.id, Phase: phase, Item: item, Dir: s.rb.Dir,
		Generation: phaseGeneration(st, phase),
		Conns:      s.conns.get,
		Control:    ctl,
		Progress:   func(p engine.Progress) { s.live.set(phase, item.ID, p) },
		Checkpoint: func(cp event.CheckpointPayload) {
			s.exec(func(t *tx) error { return t.emit("", event.KindEngineCheckpoint, phase, item.ID, cp) })
		},
		Plan: func(p event.PlanPayload) {
			s.exec(func(t *tx) error { return t.emit("", event.KindEnginePlan, phase, item.ID, p) })
		},
		Redact: s.Redact,
	}
	ectx, cancel := checks.WithTimeout(ctx, checks.ItemTimeout(item))
	defer cancel()
	out, err := safeRun(ectx, run, job)
	sum := out.Summary
	// The last samples go to the log before the verdict.
	s.exec(func(t *tx) error { return s.flushProgress(item.ID) })
	o := outcome{passed: out.Passed && err == nil, summary: out.Line, engine: &sum}
	if err != nil {
		o.summary = s.rb.Secrets.Error(err).Error()
		o.critical = errors.Is(err, ErrCriticalFailure)
		o.output = preflightOutput(err)
	}
	if ectx.Err() != nil && ctx.Err() == nil {
		o.passed = false
		why := context.Cause(ectx).Error()
		if o.summary == "" {
			o.summary = why
		} else {
			o.summary = why + ": " + o.summary
		}
	}
	if len(sum.Tables) == 0 && sum.MatchRate == nil && sum.DiffCount == 0 && len(sum.Differences) == 0 {
		o.engine = nil
	}
	return o
}

// preflightOutput is the problems of an engine that refused to start, one
// a line, as the item's output; "" for any other error.
func preflightOutput(err error) string {
	var pe *engine.PreflightError
	if !errors.As(err, &pe) {
		return ""
	}
	return strings.Join(pe.Lines(), "\n")
}

// safeRun runs an engine runner, turning a panic into an error so one
// engine's bug cannot take the session down unrecorded.
func safeRun(ctx context.Context, run EngineRunner, job EngineJob) (out EngineOutcome, err error) {
	defer func() {
		if p := recover(); p != nil {
			out.Passed, err = false, fmt.Errorf("%s engine failed unexpectedly: %v", job.Item.Kind(), p)
		}
	}()
	return run(ctx, job)
}

// controlSet holds the live controls of running engines, by item.
type controlSet struct {
	mu sync.Mutex
	m  map[string]*engine.Control
}

func newControlSet() *controlSet { return &controlSet{m: map[string]*engine.Control{}} }

func (c *controlSet) set(item string, ctl *engine.Control) {
	c.mu.Lock()
	c.m[item] = ctl
	c.mu.Unlock()
}

func (c *controlSet) drop(item string) {
	c.mu.Lock()
	delete(c.m, item)
	c.mu.Unlock()
}

func (c *controlSet) get(item string) *engine.Control {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[item]
}

// phaseGeneration is the rollback generation of a phase in st (0 if unknown).
func phaseGeneration(st fold.State, phase string) int {
	for _, ph := range st.Phases {
		if ph.ID == phase {
			return ph.Generation
		}
	}
	return 0
}
