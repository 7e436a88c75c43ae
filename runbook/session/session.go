package session

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/dlog"
	"runway/runbook/event"
	"runway/runbook/fold"
)

// Options say who runs the session, where, and where ${VAR} values come from.
type Options struct {
	Operator string
	Host     string
	// Env supplies ${VAR} values when a resumed session's stored runbook text
	// is read again (secrets are never stored). nil reads none.
	Env func(string) (string, bool)
	// Notification delivery: attempts per notice (5), the first retry's
	// delay, doubling after each (1s), and each channel's queue (64).
	NotifyAttempts int
	NotifyBackoff  time.Duration
	NotifyQueue    int
	// NotifyAfter, when set, replaces time.AfterFunc for escalation timers
	// (a test's clock).
	NotifyAfter func(d time.Duration, f func()) (stop func() bool)
	// Guards (guard_run.go): GuardTicker, when set, replaces each guard's
	// ticker and GuardNow the clock its trends read (a test's).
	GuardTicker func(every time.Duration) (tick <-chan time.Time, stop func())
	GuardNow    func() time.Time
	// Clock, when set, replaces time.Now for the drift check (drift.go).
	Clock func() time.Time
}

// ErrClosed is returned for actions asked of a session that was closed.
var ErrClosed = errors.New("session is closed")

// errQuit is the cause running items are cancelled with when the session is
// closed: they are recorded as interrupted, so a resume runs them again.
var errQuit = errors.New("session closed by the operator")

// Session is a running session: one core goroutine serialises every action
// and every append, so each event is durable before the state it produces is
// visible, and the state is always the fold of the events written.
type Session struct {
	log  *audit.Log
	rec  audit.Appender // appends to log, masking the runbook's secrets
	uid  func() int     // this process's OS user: who overrides and approves outside serve
	rb   *runbook.Runbook
	opts Options
	id   string

	reqs chan request  // work for the core
	stop chan struct{} // closed to end the core loop
	done chan struct{} // closed once the core loop has ended

	base    context.Context // the caller's values, never cancelled: reads after Close
	ctx     context.Context // cancelled on close or a fatal error: running items stop
	cancel  context.CancelCauseFunc
	runners sync.WaitGroup
	busy    atomic.Int32 // holds: runs not yet ended

	// mu guards st. The core holds it for a whole request, so a reader never
	// sees a request half done (an approval recorded, the stop it lifts not
	// yet): only the state between requests.
	mu sync.Mutex
	st fold.State

	wake Wakeups

	fatalMu sync.Mutex
	fatal   error
	stopper sync.Once

	live     *liveBoard
	conns    *connPool
	controls *controlSet

	baseSeq   int64      // the last event written before this process took the session
	stepWait  *stepWait  // core-owned: a manual rollback step waiting for its sign-off
	phaseWait *phaseWait // core-owned: a phase run waiting for a manual item's sign-off
	closing   bool       // core-owned: Close has begun; new actions are refused
	closeOnce sync.Once
	closeErr  error

	notes *notifier // notifier.go: nil when the runbook notifies no one

	guards *guardSet // guard_run.go: the supervisors of the active guards
	// guardProcs records the guard commands running now (guard_procs.go).
	guardProcs *guardProcs

	claim  *claim                              // claim.go: this process's lock on the session
	ending atomic.Pointer[event.ClosedPayload] // hangup.go: why Close will close it, when not the operator
}

// request is a piece of work run by the core goroutine.
type request struct {
	fn    func(t *tx) error
	reply chan error
}

// Start opens a new session on rb in log and starts its core. It masks what
// it writes with the runbook's secrets, so no ${VAR} value is ever stored;
// the runbook's text is stored as written, with its references, and each
// variable's fingerprint, so that a resume runs the same runbook. ctx bounds
// the start; the session keeps its values (the debug log), not its end.
func Start(ctx context.Context, log *audit.Log, rb *runbook.Runbook, opts Options) (*Session, error) {
	if log == nil || rb == nil {
		return nil, errors.New("start session: no audit log or no runbook")
	}
	opts = opts.withDefaults()
	fps, err := startFingerprints(log.Path(), rb)
	if err != nil {
		return nil, fmt.Errorf("start session on %s: %w", rb.Name, err)
	}
	id, claim, err := claimNewSession(ctx, log, opts.Host, time.Now())
	if err != nil {
		return nil, err
	}
	path := rb.Path
	if abs, err := filepath.Abs(path); err == nil && path != "" {
		path = abs
	}
	info, err := log.Redacting(rb.Secrets.String).CreateSession(audit.SessionInfo{
		ID:           id,
		Runbook:      rb.Name,
		RunbookPath:  path,
		RunbookText:  rb.Text,
		Operator:     opts.Operator,
		Host:         opts.Host,
		Started:      time.Now().UTC(),
		Status:       "running",
		Fingerprints: fps,
	})
	if err != nil {
		claim.release()
		return nil, fmt.Errorf("start session on %s: %w", rb.Name, err)
	}
	events, err := log.Events(ctx, info.ID, 0)
	if err != nil {
		claim.release()
		return nil, fmt.Errorf("start session %s: %w", info.ID, err)
	}
	s := newSession(ctx, log, rb, opts, info.ID, fold.Fold(rb, events))
	s.claim = claim
	s.baseSeq = 0 // session.opened was written by this process too
	s.debug().Debug("session.start", "session", s.id, "runbook", rb.Name, "phases", len(rb.Phases), "operator", opts.Operator)
	go s.loop()
	return s, nil
}

// Resume continues a session: the latest one when id is "". The runbook is
// read again from the text stored with the session, so exactly what was
// started runs on. Items that were running when the process ended are
// recorded as interrupted and run again; passed items do not. A session that
// another live process on this host still drives is refused with a
// *DrivenError. ctx bounds the resume, as in Start.
func Resume(ctx context.Context, log *audit.Log, id string, opts Options) (*Session, error) {
	if log == nil {
		return nil, errors.New("resume session: no audit log")
	}
	opts = opts.withDefaults()
	var (
		info audit.SessionInfo
		err  error
	)
	if id == "" {
		info, err = log.LatestSession(ctx)
	} else {
		info, err = log.Session(ctx, id)
	}
	if err != nil {
		return nil, fmt.Errorf("resume session %s: %w", cmp.Or(id, "(latest)"), err)
	}
	events, err := log.Events(ctx, info.ID, 0)
	if err != nil {
		return nil, fmt.Errorf("resume session %s: %w", info.ID, err)
	}
	if err := nothingToResume(info.ID, events); err != nil {
		return nil, err
	}
	// The text to run is the text the session started with: the sessions
	// table is outside the chain, its session.opened event is not.
	if err := log.CheckRunbookText(info, events); err != nil {
		return nil, err // names the log and the session
	}
	// The environment must give the runbook that ran: same variables, same values.
	if err := checkResumeEnv(log.Path(), info, events, opts.Env); err != nil {
		return nil, err
	}
	rb, err := runbook.Parse(info.RunbookPath, info.RunbookText, opts.Env)
	if err != nil {
		return nil, fmt.Errorf("resume session %s: runbook %s: %w", info.ID, info.RunbookPath, err)
	}
	// Another live process still drives it: taking over would interleave
	// two writers. It refuses; the caller offers to watch instead.
	claim, events, err := claimForResume(ctx, log, info.ID, opts.Host)
	if err != nil {
		return nil, err
	}
	s := newSession(ctx, log, rb, opts, info.ID, fold.Fold(rb, events))
	s.claim = claim
	s.debug().Debug("session.resume", "session", s.id, "runbook", rb.Name, "events", len(events), "operator", opts.Operator)
	go s.loop()
	if err := s.exec(s.resumed); err != nil {
		s.Close(context.Background())
		return nil, fmt.Errorf("resume session %s: %w", info.ID, err)
	}
	return s, nil
}

func (o Options) withDefaults() Options {
	if o.Operator == "" {
		o.Operator = "operator"
	}
	if o.Host == "" {
		o.Host, _ = os.Hostname()
	}
	return o
}

// newSession keeps the caller's context's values, not its end (Close ends
// a session), its debug log masking the runbook's secrets.
func newSession(caller context.Context, log *audit.Log, rb *runbook.Runbook, opts Options, id string, st fold.State) *Session {
	base := dlog.With(context.WithoutCancel(caller), dlog.Redacting(dlog.From(caller), rb.Secrets.String))
	ctx, cancel := context.WithCancelCause(base)
	s := &Session{
		log: log, rec: log.Redacting(rb.Secrets.String), uid: os.Getuid, rb: rb, opts: opts, id: id, base: base,
		reqs: make(chan request), stop: make(chan struct{}), done: make(chan struct{}),
		ctx: ctx, cancel: cancel,
		st:         st,
		baseSeq:    st.Seq,
		live:       newLiveBoard(),
		conns:      newConnPool(rb, dlog.From(base)),
		controls:   newControlSet(),
		guards:     newGuardSet(),
		guardProcs: newGuardProcs(guardProcsFile(log.Path(), id), opts.Host),
	}
	s.notes = newNotifier(s, opts)
	return s
}

// resumed records the resume and settles what the dead process left open.
func (s *Session) resumed(t *tx) error {
	if err := t.emit("", event.KindSessionResumed, "", "", event.ResumedPayload{
		Operator: s.opts.Operator, Host: s.opts.Host, PID: os.Getpid(), Build: audit.Build(),
	}); err != nil {
		return err
	}
	for _, ph := range t.st().Phases {
		for _, it := range ph.Items {
			if it.Status == fold.ItemRunning {
				if err := t.emit("", event.KindItemInterrupted, ph.ID, it.ID, nil); err != nil {
					return err
				}
			}
		}
	}
	if rs := t.st().Rollback; rs != nil && rs.Running {
		if err := t.rollbackCut(rs.Point, "interrupted: the process ended during the rollback"); err != nil {
			return err
		}
	}
	return t.setStatus("running", time.Time{})
}

// loop is the core: it runs every request in turn and flushes engine
// progress about once a second.
func (s *Session) loop() {
	defer close(s.done)
	tick := time.NewTicker(progressEvery)
	defer tick.Stop()
	s.mu.Lock()
	s.syncGuards() // the runbook's guards run from the start
	s.mu.Unlock()
	for {
		select {
		case r := <-s.reqs:
			err := s.Err()
			if err == nil {
				s.mu.Lock()
				err = r.fn(&tx{s: s})
				s.syncGuards()        // guard_run.go: a phase's guards follow its status
				s.reassertGuardStop() // guard_stop.go: a critical guard holds a stop
				s.mu.Unlock()
			}
			if hook := afterRequest.Load(); hook != nil {
				(*hook)(s)
			}
			s.notify()
			r.reply <- err
		case <-tick.C:
			if s.Err() == nil {
				s.mu.Lock()
				s.flushProgress("")
				s.tickDrift()
				s.mu.Unlock()
			}
		case <-s.stop:
			return
		}
	}
}

// exec runs fn on the core and waits for it.
func (s *Session) exec(fn func(t *tx) error) error {
	r := request{fn: fn, reply: make(chan error, 1)}
	select {
	case s.reqs <- r:
	case <-s.done:
		if err := s.Err(); err != nil {
			return err
		}
		return ErrClosed
	}
	return <-r.reply
}

// fail stops everything after the audit log failed: nothing may run unrecorded.
func (s *Session) fail(err error) {
	s.fatalMu.Lock()
	first := s.fatal == nil
	if first {
		s.fatal = err
	}
	s.fatalMu.Unlock()
	if !first {
		return
	}
	s.cancel(err)
	s.notify()
	// Let running items see the cancellation, then end the core.
	go func() {
		waitTimeout(&s.runners, 10*time.Second)
		s.endCore()
	}()
}

func (s *Session) endCore() { s.stopper.Do(func() { close(s.stop) }) }

// startRunner runs fn in its own goroutine. It is called on the core; the
// session is busy until fn releases its hold in the request that records
// its last event, or else until fn returns.
func (s *Session) startRunner(fn func(ctx context.Context, c *hold)) {
	c := s.newHold()
	s.runners.Add(1)
	go func() {
		defer func() {
			c.release()
			s.runners.Done()
			s.notify()
		}()
		fn(s.ctx, c)
	}()
}

// waitTimeout waits for wg, at most d; it reports whether wg finished.
func waitTimeout(wg *sync.WaitGroup, d time.Duration) bool {
	ch := make(chan struct{})
	go func() { wg.Wait(); close(ch) }()
	select {
	case <-ch:
		return true
	case <-time.After(d):
		return false
	}
}
