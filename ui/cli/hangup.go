package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"runway/runbook/event"
	"runway/runbook/session"
	"runway/ui/plain"
)

// A hang-up is an interruption, not a death: when the terminal goes away
// (SIGHUP from a dropped SSH link or a closed tmux window, its input ending
// or failing, its output no longer writable) the session is closed as for
// ctrl-c, running items recorded as interrupted, and session.closed says
// "hangup" and why. The exit status is then 1, as for any unfinished run.

var absorbOnce sync.Once

// hupIgnored: runway was started with SIGHUP ignored (nohup, or a shell trap
// that ignores HUP), asking to outlive the terminal. That is kept: SIGHUP
// then neither kills runway nor ends the session, and the commands it
// starts inherit the same (a console still ends when its terminal's input
// does). Read before any Notify, which would undo it.
var hupIgnored = signal.Ignored(syscall.SIGHUP)

// hangupSignals are the signals that mean a hang-up here.
func hangupSignals() []os.Signal {
	if hupIgnored {
		return nil
	}
	return []os.Signal{syscall.SIGHUP}
}

// absorbHangups keeps SIGHUP and SIGPIPE from killing the process for the
// rest of its life: a write to a closed stdout or stderr then fails with
// EPIPE instead, and the lines printed after the session closed cannot turn
// a recorded end into a death. Caught, not ignored: the commands runway
// starts get the default dispositions back on exec.
func absorbHangups() {
	absorbOnce.Do(func() {
		signal.Notify(make(chan os.Signal, 1), append(hangupSignals(), syscall.SIGPIPE)...)
	})
}

// stops is how a driven session learns it must close: ctrl-c or SIGTERM
// (recorded as quit), or a hang-up (recorded as hangup).
type stops struct {
	ctx    context.Context
	cancel context.CancelFunc
	sess   *session.Session
}

// watchStops starts listening; stop ends the listening.
func watchStops(sess *session.Session) (*stops, func()) {
	absorbHangups()
	ctx, cancel := context.WithCancel(context.Background())
	st := &stops{ctx: ctx, cancel: cancel, sess: sess}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, append(hangupSignals(), os.Interrupt, syscall.SIGTERM)...)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sig:
			if s == syscall.SIGHUP {
				st.hangup("the terminal hung up (SIGHUP)")
			}
			cancel()
		case <-done:
		}
	}()
	return st, func() { signal.Stop(sig); close(done); cancel() }
}

// hangup records why and ends the drive.
func (st *stops) hangup(reason string) {
	st.sess.EndFor(event.StatusHangup, reason)
	st.cancel()
}

// lostIO reports whether err means the terminal or the reader of the
// output is gone.
func lostIO(err error) bool {
	return errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.EIO) || errors.Is(err, syscall.ENXIO)
}

// watchedOutput is stdout in line mode: once it cannot be written (the
// reader of a pipe is gone, the terminal hung up) the run is ended as a
// hang-up. Writes go on failing quietly; the audit log holds everything.
type watchedOutput struct {
	w  io.Writer
	st *stops
}

func (o watchedOutput) Write(p []byte) (int, error) {
	n, err := o.w.Write(p)
	if err != nil && lostIO(err) {
		o.st.hangup(fmt.Sprintf("the output could no longer be written (%v)", err))
	}
	return n, err
}

// watchedInput is the terminal's input: a read that fails with EIO, or an
// end of input from a file that is no longer a terminal, means the
// terminal went away. A pipe's end of input is left alone: it is how a
// transcript of answers ends.
type watchedInput struct {
	*os.File
	st *stops
}

// watchInput wraps in when it is a terminal; anything else is returned as is.
func watchInput(in io.Reader, st *stops) io.Reader {
	f, ok := in.(*os.File)
	if !ok || !plain.IsTerminal(f) {
		return in
	}
	return watchedInput{File: f, st: st}
}

func (in watchedInput) Read(p []byte) (int, error) {
	n, err := in.File.Read(p)
	switch {
	case err == nil:
	case lostIO(err):
		in.st.hangup(fmt.Sprintf("the terminal went away (input: %v)", err))
	case errors.Is(err, io.EOF) && !plain.IsTerminal(in.File):
		in.st.hangup("the terminal went away (its input ended)")
	}
	return n, err
}
