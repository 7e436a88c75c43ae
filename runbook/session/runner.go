package session

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"runway/checks"
	"runway/runbook"
	"runway/runbook/event"
	"runway/runbook/fold"
	"runway/runbook/text"
)

// maxOutput bounds the output kept in an event: the head and the tail.
const maxOutput = 16 << 10

// outcome is one attempt's verdict, before it becomes an event.
type outcome struct {
	passed   bool
	critical bool
	summary  string
	output   string
	engine   *event.EngineSummary
	dur      time.Duration
}

// startPhase starts or continues a run of phase pi, on the core: the next
// item is recorded as started (or as waiting for its sign-off) in the
// caller's request, and a runner is started only when an item runs. So the
// state shows the run from the request that asked for it.
func (s *Session) startPhase(t *tx, actor string, pi int) error {
	ii, first, err := s.advance(t, actor, pi)
	if err != nil || ii < 0 {
		return err
	}
	s.startRunner(func(ctx context.Context, c *hold) { s.runPhase(ctx, c, actor, pi, ii, first) })
	return nil
}

// runPhase runs item ii of phase pi, whose attempt first was just recorded
// as started, then the rest of the phase in order until it passes, a manual
// item waits for its sign-off (the run goes on once it is signed off: see
// continuePhase), a stop rule triggers or the session closes. Each item's
// verdict and the next item's start are one request, and the request that
// ends the run releases its hold.
func (s *Session) runPhase(ctx context.Context, c *hold, actor string, pi, ii, first int) {
	for ii >= 0 {
		cur, curFirst := ii, first
		ii = -1
		s.runItem(ctx, actor, pi, cur, curFirst, func(t *tx) error {
			var err error
			ii, first, err = s.advance(t, actor, pi)
			if err != nil || ii < 0 {
				c.release()
			}
			return err
		})
	}
}

// advance records the start of phase pi's next item and returns it with
// its attempt, or -1 when the run ends there: the phase passed, a manual
// item waits for its sign-off, an item failed, a stop holds or the session
// is closing. It runs on the core.
func (s *Session) advance(t *tx, actor string, pi int) (int, int, error) {
	st := t.st()
	if s.closing || st.Stop != nil || s.guardHolds(st) || lockedReason(st, pi) != "" {
		return -1, 0, nil // guardHolds: guard_stop.go
	}
	next := nextItem(st, s.rb, pi)
	if next < 0 {
		return -1, 0, t.settle(actor, pi)
	}
	it, spec := st.Phases[pi].Items[next], s.rb.Phases[pi].Items[next]
	switch {
	case it.Status == fold.ItemAwaiting:
		s.phaseWait = &phaseWait{pi: pi, item: spec.ID}
		return -1, 0, nil // the signer decides
	case it.Status == fold.ItemFailed:
		return -1, 0, nil // the lead decides
	case spec.Manual != nil:
		s.phaseWait = &phaseWait{pi: pi, item: spec.ID}
		return -1, 0, t.emit(actor, event.KindItemAwaiting, s.rb.Phases[pi].ID, spec.ID, nil)
	}
	first := it.Attempt + 1
	if err := t.emit(actor, event.KindItemStarted, s.rb.Phases[pi].ID, spec.ID, event.StartedPayload{Kind: spec.Kind(), Attempt: first}); err != nil {
		return -1, 0, err
	}
	return next, first, nil
}

// runItem runs an item whose first attempt was just recorded as started,
// with its retries, and records the verdict and the stop rule's outcome.
// then runs in the verdict's request: what the run does next, or the end
// of the run. It is not called when the item is interrupted or the audit
// log fails.
func (s *Session) runItem(ctx context.Context, actor string, pi, ii, first int, then func(t *tx) error) {
	item := s.rb.Phases[pi].Items[ii]
	phase := s.rb.Phases[pi].ID
	attempts := 1 + max(item.Retries, 0)
	var last outcome
	for n := range attempts {
		attempt := first + n
		if n > 0 {
			delay := item.RetryDelay.D()
			s.debug().Debug("item.retry", "session", s.id, "phase", phase, "item", item.ID, "attempt", attempt, "delay_ms", delay.Milliseconds())
			if s.exec(func(t *tx) error {
				return t.emit(actor, event.KindItemRetrying, phase, item.ID, event.RetryPayload{Attempt: attempt, DelayMS: delay.Milliseconds(), Summary: last.summary})
			}) != nil {
				return
			}
			if !sleepCtx(ctx, delay) {
				s.interrupted(ctx, actor, phase, item.ID)
				return
			}
			if s.exec(func(t *tx) error {
				return t.emit(actor, event.KindItemStarted, phase, item.ID, event.StartedPayload{Kind: item.Kind(), Attempt: attempt})
			}) != nil {
				return
			}
		}
		last = s.attempt(ctx, actor, phase, item)
		if ctx.Err() != nil {
			s.interrupted(ctx, actor, phase, item.ID)
			return
		}
		p := event.ResultPayload{Attempt: attempt, Summary: last.summary, Output: last.output,
			DurationMS: last.dur.Milliseconds(), Engine: last.engine, Critical: last.critical}
		if last.passed {
			s.exec(func(t *tx) error {
				if err := t.passed(actor, pi, ii, p); err != nil {
					return err
				}
				return then(t)
			})
			return
		}
		if n == attempts-1 {
			s.exec(func(t *tx) error {
				if err := t.failed(actor, pi, ii, p); err != nil {
					return err
				}
				return then(t)
			})
		}
	}
}

// interrupted records an item cut short by Close, so a resume runs it again.
// After an audit failure nothing can be recorded, and nothing is tried.
func (s *Session) interrupted(ctx context.Context, actor, phase, item string) {
	if !errors.Is(context.Cause(ctx), errQuit) {
		return
	}
	s.exec(func(t *tx) error {
		if err := s.flushProgress(item); err != nil {
			return err
		}
		return t.emit(actor, event.KindItemInterrupted, phase, item, nil)
	})
}

// attempt runs one attempt of an item: a check or a data engine.
func (s *Session) attempt(ctx context.Context, actor, phase string, item runbook.Item) outcome {
	start := time.Now()
	var o outcome
	if item.IsEngine() {
		o = s.runEngine(ctx, phase, item)
	} else {
		o = s.runCheck(ctx, actor, phase, item)
	}
	s.live.drop(item.ID)
	o.dur = time.Since(start)
	s.debug().Debug("item.attempt", "session", s.id, "phase", phase, "item", item.ID, "kind", item.Kind(),
		"passed", o.passed, "ms", o.dur.Milliseconds())
	o.summary = text.OneLine(s.Redact(o.summary))
	o.output = clip(s.Redact(o.output))
	return o
}

func (s *Session) runCheck(ctx context.Context, actor, phase string, item runbook.Item) outcome {
	c, err := checks.New(item.Spec)
	if err != nil {
		return outcome{summary: err.Error()}
	}
	env := checks.Env{
		Dir:      s.rb.Dir,
		DB:       s.conns.sqlDB,
		Redact:   s.Redact,
		Progress: func(p checks.Progress) { s.live.check(item.ID, item.Kind(), p) },
		Started:  s.processStarted(actor, phase, item.ID),
	}
	res := checks.Run(ctx, c, env, checks.ItemTimeout(item))
	return outcome{passed: res.Passed, summary: res.Summary, output: res.Output}
}

// sleepCtx waits d or until ctx ends; it reports whether d elapsed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// clip keeps the head and the tail of a long output, marking the cut. The
// cut falls between characters, and each byte that is not UTF-8 becomes
// U+FFFD, as in a short output (the log's JSON cannot hold raw bytes): no
// byte of the head or the tail is dropped.
func clip(s string) string {
	if len(s) <= maxOutput {
		return s
	}
	half := maxOutput / 2
	head, tail := half, len(s)-half
	for i := 0; i < utf8.UTFMax-1 && head > 0 && !utf8.RuneStart(s[head]); i++ {
		head--
	}
	for i := 0; i < utf8.UTFMax-1 && tail < len(s) && !utf8.RuneStart(s[tail]); i++ {
		tail++
	}
	return validUTF8(s[:head]) + "\n… (output cut) …\n" + validUTF8(s[tail:])
}

// validUTF8 replaces each byte of s that is not part of a UTF-8 character
// with U+FFFD.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for _, r := range s {
		b.WriteRune(r) // range yields U+FFFD for each invalid byte
	}
	return b.String()
}
