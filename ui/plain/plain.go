// Package plain drives a session in line mode: one line per event as it is
// recorded, manual sign-offs asked on stdin, no terminal control at all. It
// is what `runway run` uses when stdout is not a terminal, or with --plain.
package plain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/mattn/go-isatty"

	"runway/runbook/fold"
	"runway/runbook/session"
)

// Exit statuses, as the command line reports them.
const (
	ExitPassed  = 0 // every phase passed
	ExitStopped = 1 // a stop rule holds, a sign-off got no answer, or the run was interrupted
	ExitAudit   = 3 // the audit log could not be written
)

// closeWait bounds how long closing waits for running items (engines stop
// at their next checkpoint).
const closeWait = time.Minute

// Driver drives one session in line mode.
type Driver struct {
	In  io.Reader
	Out io.Writer
	// Interactive offers retry / override / quit when a stop rule holds;
	// otherwise a stop ends the run with ExitStopped.
	Interactive bool
	// Echo repeats each answer after its prompt, so that a transcript of
	// piped input reads like the terminal session would.
	Echo bool
	// Approve is how a second person approves a two-person override from
	// their own login. While one waits, an interactive run waits for their
	// decision, saying this; otherwise it stops.
	Approve string
}

// Run drives sess with in and out, offering choices on a stop only when in
// is a terminal; approve is how a second person approves (Driver.Approve).
// It returns the exit status.
func Run(ctx context.Context, sess *session.Session, in io.Reader, out io.Writer, approve string) int {
	tty := IsTerminal(in)
	return Driver{In: in, Out: out, Interactive: tty, Echo: !tty, Approve: approve}.Run(ctx, sess)
}

// IsTerminal reports whether v is a file on a terminal.
func IsTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// errQuit ends the run when the operator quits or input ends.
var errQuit = errors.New("quit")

// Run runs the phases in order until every one passed, a stop ends the run,
// ctx ends (the session is closed resumably) or the audit log fails. It
// always closes the session before returning.
func (d Driver) Run(ctx context.Context, sess *session.Session) int {
	wake, unsubscribe := sess.Subscribe()
	defer unsubscribe()
	r := &run{d: d, sess: sess, p: newPrinter(d.Out, sess)}
	r.in = newLines(d.In, func(answer string) {
		if d.Echo {
			r.p.say("%s", answer)
		}
	})
	r.p.header()
	code := r.loop(ctx, wake)
	closeCtx, cancel := context.WithTimeout(context.Background(), closeWait)
	defer cancel()
	if err := sess.Close(closeCtx); err != nil {
		code = ExitAudit
	}
	r.p.flush()
	return code
}

type run struct {
	d    Driver
	sess *session.Session
	in   *lines
	p    *printer

	ran     bool
	lastRun int64 // state seq when a phase run was last asked for
	told    int64 // state seq when the wait for an approval was last told
	toldAt  int64 // when the guard's stop that was last told began
}

func (r *run) loop(ctx context.Context, wake <-chan struct{}) int {
	for {
		r.p.flush()
		if r.sess.Err() != nil {
			return ExitAudit
		}
		if ctx.Err() != nil {
			return ExitStopped
		}
		if !r.sess.Idle() && !(r.d.Interactive && guardStopped(r.sess.State())) {
			r.tellGuardWait(r.sess.State()) // guard_stop.go
			// A rollback waits for a manual step's sign-off while it runs.
			if phase, step, ok := awaitingStep(r.sess.State()); ok {
				if err := r.signOffStep(ctx, phase, step); errors.Is(err, errQuit) {
					return ExitStopped
				}
				continue
			}
			select {
			case <-wake:
			case <-ctx.Done():
			case <-r.sess.Done():
			}
			continue
		}
		st := r.sess.State()
		var err error
		switch {
		case st.AllPassed():
			return ExitPassed
		case st.Pending != nil:
			if !r.d.Interactive || r.d.Approve == "" {
				r.p.say("override of %s waits for a second person's approval", st.Pending.Item)
				return ExitStopped
			}
			r.awaitApproval(ctx, wake, st)
			continue
		case st.Stop != nil:
			if !r.d.Interactive {
				return ExitStopped
			}
			err = r.onStop(ctx, st)
		default:
			if phase, item, ok := awaiting(st); ok {
				err = r.signOff(ctx, phase, item)
			} else {
				err = r.next(st)
			}
		}
		switch {
		case errors.Is(err, errQuit):
			return ExitStopped
		case r.sess.Err() != nil:
			return ExitAudit
		case err != nil:
			var refused *session.RefusedError
			if !errors.As(err, &refused) {
				r.p.say("%v", err)
				return ExitStopped
			}
			// A refusal is recorded and printed as an event; the loop asks again.
		}
	}
}

// awaitApproval says once how a second person approves the pending
// override, then waits for a change: their decision, or Ctrl-C.
func (r *run) awaitApproval(ctx context.Context, wake <-chan struct{}, st fold.State) {
	if r.told != st.Pending.At.UnixNano() {
		r.told = st.Pending.At.UnixNano()
		r.p.say("override of %s waits for a second person's approval: %s (Ctrl-C quits; resume continues)", st.Pending.Item, r.d.Approve)
		r.p.flush()
	}
	select {
	case <-wake:
	case <-ctx.Done():
	case <-r.sess.Done():
	}
}

// next starts the first phase that has not passed.
func (r *run) next(st fold.State) error {
	for _, ph := range st.Phases {
		if ph.Status == fold.PhasePassed {
			continue
		}
		// A phase run that records nothing new can't make progress in line
		// mode: stop rather than spin.
		if r.ran && st.Seq == r.lastRun {
			return fmt.Errorf("phase %s has nothing left that line mode can run", ph.ID)
		}
		r.ran, r.lastRun = true, st.Seq
		if err := r.sess.Do(session.RunPhase{Phase: ph.ID}); err != nil {
			var refused *session.RefusedError
			if errors.As(err, &refused) {
				return fmt.Errorf("phase %s can't run: %s", ph.ID, refused.Reason)
			}
			return err
		}
		return nil
	}
	return nil
}

// awaitingStep finds the manual rollback step waiting for a sign-off.
func awaitingStep(st fold.State) (phase, step string, ok bool) {
	if st.Rollback == nil || !st.Rollback.Running {
		return "", "", false
	}
	for _, ph := range st.Phases {
		for _, it := range ph.Rollback {
			if it.Status == fold.ItemAwaiting {
				return ph.ID, it.ID, true
			}
		}
	}
	return "", "", false
}

// awaiting finds the manual item waiting for a sign-off.
func awaiting(st fold.State) (phase, item string, ok bool) {
	for _, ph := range st.Phases {
		for _, it := range ph.Items {
			if it.Status == fold.ItemAwaiting {
				return ph.ID, it.ID, true
			}
		}
	}
	return "", "", false
}
