package session

import (
	"context"
	"sync"
	"time"

	"runway/checks"
	"runway/runbook"
	"runway/runbook/fold"
)

// guardSet holds the supervisors of the guards active now: the runbook's
// while the session runs, a phase's while that phase runs or is halted.
// The core starts and stops them (syncGuards); each supervisor evaluates
// its guard in turn, so one guard is never evaluated twice at once.
type guardSet struct {
	mu    sync.Mutex
	runs  map[string]*guardRun
	wg    sync.WaitGroup
	board *guardBoard
}

type guardRun struct {
	cancel context.CancelFunc
}

func newGuardSet() *guardSet {
	return &guardSet{runs: map[string]*guardRun{}, board: newGuardBoard()}
}

// syncGuards starts the guards that should run and stops the others. It
// runs on the core, after each request: a phase's guards start in the
// request that starts the phase and stop in the one that ends it.
func (s *Session) syncGuards() {
	want := s.wantedGuards(&s.st)
	gs := s.guards
	gs.mu.Lock()
	defer gs.mu.Unlock()
	for id, r := range gs.runs {
		if _, ok := want[id]; !ok {
			r.cancel()
			delete(gs.runs, id)
		}
	}
	for id, g := range want {
		if gs.runs[id] != nil {
			continue
		}
		ctx, cancel := context.WithCancel(s.ctx)
		gs.runs[id] = &guardRun{cancel: cancel}
		from := ""
		if folded := s.st.Guard(id); folded != nil {
			from = folded.State // a resume or a phase run again goes on from the log's word
		}
		gs.wg.Add(1)
		go func() {
			defer gs.wg.Done()
			s.superviseGuard(ctx, g, from)
		}()
	}
}

// wantedGuards are the guards that should run in st, by id.
func (s *Session) wantedGuards(st *fold.State) map[string]runbook.Guard {
	want := map[string]runbook.Guard{}
	if s.closing || s.Err() != nil || st.Closed || st.Status == fold.StatusPassed {
		return want
	}
	for _, g := range s.rb.Guards {
		want[g.ID] = g
	}
	for pi, p := range s.rb.Phases {
		if pi >= len(st.Phases) {
			break
		}
		if ps := st.Phases[pi].Status; ps != fold.PhaseRunning && ps != fold.PhaseHalted {
			continue
		}
		for _, g := range p.Guards {
			want[g.ID] = g
		}
	}
	return want
}

// superviseGuard evaluates g now and at every tick until ctx ends. A slow
// check delays the next evaluation; ticks that pass meanwhile are dropped.
func (s *Session) superviseGuard(ctx context.Context, g runbook.Guard, from string) {
	sampler, err := checks.NewSampler(g.Check)
	eval := newGuardEval(g)
	if from != "" {
		eval.state = from
	}
	tick, stop := s.opts.guardTicker(g.Every.D())
	defer stop()
	env := checks.Env{Dir: s.rb.Dir, DB: s.conns.sqlDB, Redact: s.Redact}
	timeout := checks.SampleTimeout(g.Check, g.Every.D())
	for {
		var v string
		sampleErr := err
		if sampleErr == nil {
			v, sampleErr = s.sampleGuard(ctx, g, sampler, env, timeout)
		}
		if ctx.Err() != nil {
			return
		}
		now := s.opts.guardNow()
		verdict := eval.observe(now, v, sampleErr)
		s.guards.board.set(g, verdict, now)
		if verdict.changed && s.exec(func(t *tx) error { return t.guardChanged(g, verdict) }) != nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-tick:
		}
	}
}

// sampleGuard takes one sample within timeout; a command's process group
// is on record while it runs (guard_procs.go).
func (s *Session) sampleGuard(ctx context.Context, g runbook.Guard, sampler checks.Sampler, env checks.Env, timeout time.Duration) (string, error) {
	sctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	pgid := 0
	env.Started = func(p int) {
		pgid = p
		s.guardProcs.started(g.ID, p)
	}
	defer func() {
		if pgid > 0 {
			s.guardProcs.ended(pgid)
		}
	}()
	return sampler.Sample(sctx, env)
}

// guardTicker is Options.GuardTicker, or a real ticker.
func (o Options) guardTicker(d time.Duration) (<-chan time.Time, func()) {
	if o.GuardTicker != nil {
		return o.GuardTicker(d)
	}
	t := time.NewTicker(d)
	return t.C, t.Stop
}

func (o Options) guardNow() time.Time {
	if o.GuardNow != nil {
		return o.GuardNow()
	}
	return time.Now()
}
