package watch

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"

	"runway/engine"
	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/fold"
	"runway/runbook/session"
)

// Options configure a watcher.
type Options struct {
	// Every is how often the log is polled for new events; 0 means 200ms.
	Every time.Duration
	// Probe is how often the driver's process is looked for; 0 means 1s.
	Probe time.Duration
	// Host is this machine's name, to tell whether the driver's process can
	// be seen from here; "" means os.Hostname.
	Host string
	// OnEvent, when set, is called with every event of the session in order,
	// the ones already in the log first; line mode prints them.
	OnEvent func(audit.Event)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// countSelf counts this process among the log's writers, for tests
	// that drive and watch in one process. A watcher's own handle is
	// read-only anyway.
	countSelf bool
}

// Source is a session another process drives, folded from its audit log as
// the log grows. It is a console.Source but not a console.Driver: the
// console shows it in observer mode, with every mutating key disabled.
type Source struct {
	log  *audit.Log
	info audit.SessionInfo
	rb   *runbook.Runbook
	opts Options

	mu      sync.Mutex // guards everything below
	st      fold.State
	ident   driverIdent
	driver  DriverStatus
	readErr error // the last failure to read the log; nil once a read works again

	probeMu sync.Mutex // serialises probes: the prober remembers what it found
	prober  prober

	wake session.Wakeups

	cancel context.CancelFunc
	done   chan struct{} // closed by Close
	wg     sync.WaitGroup
	once   sync.Once
}

// Open opens the audit log at path read-only and follows a session in it:
// id, or the newest running session when id is "". It folds the events
// already written before it returns, so State is current at once; ctx
// bounds that first read.
func Open(ctx context.Context, path, id string, opts Options) (*Source, error) {
	l, err := audit.OpenReadOnly(path)
	if err != nil {
		return nil, err
	}
	info, _, err := Pick(ctx, l, id, true)
	if err != nil {
		l.Close()
		return nil, err
	}
	s, err := follow(ctx, l, info, opts)
	if err != nil {
		l.Close()
		return nil, err
	}
	return s, nil
}

// follow starts following info's session in l; Close closes l.
func follow(ctx context.Context, l *audit.Log, info audit.SessionInfo, opts Options) (*Source, error) {
	rb, err := StoredRunbook(info)
	if err != nil {
		return nil, err
	}
	if opts.Every <= 0 {
		opts.Every = 200 * time.Millisecond
	}
	if opts.Probe <= 0 {
		opts.Probe = time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Host == "" {
		opts.Host, _ = os.Hostname()
	}
	s := &Source{
		log: l, info: info, rb: rb, opts: opts,
		st:     fold.NewState(rb),
		done:   make(chan struct{}),
		prober: prober{path: l.Path(), host: opts.Host, self: selfUnless(opts.countSelf)},
	}
	s.ident.host = info.Host
	last := int64(0)
	if err := l.Scan(ctx, info.ID, 0, func(e audit.Event) error {
		s.apply(e)
		last = e.Seq
		return nil
	}); err != nil {
		return nil, fmt.Errorf("watch session %s: %w", info.ID, err)
	}
	s.probe()
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx)) // Close ends the following
	s.cancel = cancel
	s.wg.Add(2)
	go s.tail(ctx, last)
	go s.probeLoop(ctx)
	return s, nil
}

// Close stops following and closes the log. It is safe to call more than once.
func (s *Source) Close() error {
	var err error
	s.once.Do(func() {
		s.cancel()
		s.wg.Wait()
		close(s.done)
		err = s.log.Close()
	})
	return err
}

// Info is the session followed.
func (s *Source) Info() audit.SessionInfo { return s.info }

// Path is the audit log's path.
func (s *Source) Path() string { return s.log.Path() }

// Runbook is the runbook read back from the text stored with the session.
func (s *Source) Runbook() *runbook.Runbook { return s.rb }

// State is a copy of the fold of every event read so far.
func (s *Source) State() fold.State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.Clone()
}

// Driver is how the driver's process stands, as of the last probe.
func (s *Source) Driver() DriverStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.driver
}

// ReadErr is the last failure to read the log, nil when reading works.
func (s *Source) ReadErr() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.readErr
}

// Subscribe wakes the receiver after new events were folded (latest wins).
func (s *Source) Subscribe() (<-chan struct{}, func()) { return s.wake.Subscribe() }

// Live is the latest progress the log holds for each running engine: a
// watcher has no engine of its own, so it shows the driver's samples
// (written about once a second) as they arrive.
func (s *Source) Live() map[string][]engine.Progress {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]engine.Progress{}
	for _, ph := range s.st.Phases {
		for _, it := range ph.Items {
			if it.Status != fold.ItemRunning || it.Engine == nil || len(it.Engine.Tables) == 0 {
				continue
			}
			kind := s.kind(ph.ID, it.ID)
			for _, p := range it.Engine.Tables {
				out[it.ID] = append(out[it.ID], engine.Progress{
					Engine: kind, Table: p.Table, Done: p.Done, Total: p.Total,
					RowsPerSec: p.RowsPerSec, ETA: time.Duration(p.ETAms) * time.Millisecond, Note: p.Note,
				})
			}
		}
	}
	return out
}

// kind is an item's kind from the runbook.
func (s *Source) kind(phase, item string) string {
	for _, p := range s.rb.Phases {
		if p.ID != phase {
			continue
		}
		for _, it := range p.Items {
			if it.ID == item {
				return it.Kind()
			}
		}
	}
	return ""
}

// Done is closed when the watcher is closed: a watcher outlives its driver,
// keeping the last state on screen and following a resume.
func (s *Source) Done() <-chan struct{} { return s.done }

// Err is always nil: a watcher never writes, so nothing of its own can fail
// the session. A failure to read is ReadErr.
func (s *Source) Err() error { return nil }

// apply folds one event and keeps what the log says about the driver.
func (s *Source) apply(e audit.Event) {
	s.mu.Lock()
	s.st.Apply(e)
	switch e.Kind {
	case event.KindSessionOpened:
		var p audit.OpenedPayload
		if json.Unmarshal(e.Payload, &p) == nil && p.Host != "" {
			s.ident.host, s.ident.pid = p.Host, p.PID
		}
	case event.KindSessionResumed:
		var p event.ResumedPayload
		_ = json.Unmarshal(e.Payload, &p)
		s.ident = driverIdent{host: p.Host, pid: p.PID}
	case event.KindSessionClosed:
		var p event.ClosedPayload
		_ = json.Unmarshal(e.Payload, &p)
		s.ident.closed, s.ident.how, s.ident.closedAt = true, p.Status, e.Time
	}
	s.mu.Unlock()
	if s.opts.OnEvent != nil {
		s.opts.OnEvent(e)
	}
}

// tail folds new events as the driver writes them, polling every
// opts.Every; a failed read is kept for the screen and tried again.
func (s *Source) tail(ctx context.Context, after int64) {
	defer s.wg.Done()
	for {
		err := s.log.Follow(ctx, s.info.ID, after, s.opts.Every, func(e audit.Event) error {
			s.apply(e)
			after = e.Seq
			s.setReadErr(nil)
			if e.Kind == event.KindSessionClosed || e.Kind == event.KindSessionResumed {
				s.probe() // say so now, not at the next probe
			}
			s.notify()
			return nil
		})
		if ctx.Err() != nil {
			return
		}
		s.setReadErr(err)
		s.notify()
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

func (s *Source) setReadErr(err error) {
	s.mu.Lock()
	s.readErr = err
	s.mu.Unlock()
}

// probeLoop looks at the driver's process every opts.Probe.
func (s *Source) probeLoop(ctx context.Context) {
	defer s.wg.Done()
	t := time.NewTicker(s.opts.Probe)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.probe()
		}
	}
}

// probe updates the driver's status. The process table is read outside the
// state's lock, so a slow /proc never holds up the screen.
func (s *Source) probe() {
	s.probeMu.Lock()
	defer s.probeMu.Unlock()
	s.mu.Lock()
	id := s.ident
	s.mu.Unlock()
	d := s.prober.probe(id, s.opts.Now())
	s.mu.Lock()
	s.driver = d
	s.mu.Unlock()
}

// notify wakes every subscriber without waiting.
func (s *Source) notify() { s.wake.Notify() }

// lastEvent is the time of the last event folded.
func (s *Source) lastEvent() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.Last
}

// selfUnless is this process's id, left out when looking for the driver,
// or -1 (no process) when it counts.
func selfUnless(count bool) int {
	if count {
		return -1
	}
	return os.Getpid()
}
