package approvals

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"runway/runbook"
	"runway/runbook/fold"
	"runway/runbook/session"
)

// connWait bounds one exchange with a client.
const connWait = 30 * time.Second

// Listener takes approvals for one session from other local users.
type Listener struct {
	sess  *session.Session
	path  string
	audit string
	ln    *net.UnixListener
	done  chan struct{}
	wg    sync.WaitGroup
	close sync.Once
}

// TwoPerson reports whether any phase of rb needs a second person's approval
// for an override: only then does a driver need to listen.
func TwoPerson(rb *runbook.Runbook) bool {
	for _, ph := range rb.Phases {
		if ph.Overrides == runbook.OverrideTwoPerson {
			return true
		}
	}
	return false
}

// Listen opens the approval socket of sess beside the audit log at audit
// (Path) and takes approvals on it until Close. A socket left by a process
// that was killed is replaced.
func Listen(sess *session.Session, audit string) (*Listener, error) {
	path := Path(audit, sess.ID())
	if len(path) > maxPath {
		return nil, fmt.Errorf("approval socket %s: the path is longer than a socket address holds (%d bytes); use a shorter --audit path", path, maxPath)
	}
	if err := clearStale(path); err != nil {
		return nil, err
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("approval socket %s: %w", path, err)
	}
	// Subscribed before the first share, so an override that comes to wait
	// while the goroutine below is still unscheduled wakes it all the same.
	wake, stop := sess.Subscribe()
	if err := share(path, audit); err != nil {
		stop()
		ln.Close()
		return nil, err
	}
	l := &Listener{sess: sess, path: path, audit: audit, ln: ln, done: make(chan struct{})}
	l.wg.Add(2)
	go l.accept()
	go l.follow(wake, stop)
	return l, nil
}

// Path is where the listener's socket is.
func (l *Listener) Path() string { return l.path }

// Close stops taking approvals and removes the socket.
func (l *Listener) Close() error {
	var err error
	l.close.Do(func() {
		close(l.done)
		err = l.ln.Close() // removes the socket file too
		l.wg.Wait()
	})
	return err
}

func (l *Listener) accept() {
	defer l.wg.Done()
	for {
		c, err := l.ln.AcceptUnix()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			defer c.Close()
			l.serve(c)
		}()
	}
}

// follow gives the socket the audit log's permissions again whenever an
// override comes to wait: a log shared with a group after the session
// began lets that group approve.
func (l *Listener) follow(wake <-chan struct{}, stop func()) {
	defer l.wg.Done()
	defer stop()
	var last time.Time
	for {
		select {
		case <-l.done:
			return
		case <-wake:
		}
		if p := l.sess.State().Pending; p != nil && !p.At.Equal(last) {
			last = p.At
			_ = share(l.path, l.audit)
		}
	}
}

// serve answers one client: the kernel says who it is, the core decides.
func (l *Listener) serve(c *net.UnixConn) {
	_ = c.SetDeadline(time.Now().Add(connWait))
	reply := l.answer(c)
	reply.Line = inert(l.sess.Redact(reply.Line))
	b, _ := json.Marshal(reply)
	_, _ = c.Write(append(b, '\n'))
}

func (l *Listener) answer(c *net.UnixConn) Reply {
	uid, err := peerUID(c)
	if err != nil {
		return Reply{Code: Refused, Line: err.Error()}
	}
	line, err := bufio.NewReader(c).ReadBytes('\n')
	if err != nil {
		return Reply{Code: Refused, Line: fmt.Sprintf("read the request: %v", err)}
	}
	var req request
	if err := json.Unmarshal(line, &req); err != nil {
		return Reply{Code: Refused, Line: fmt.Sprintf("read the request: %v", err)}
	}
	if req.Session != l.sess.ID() {
		return Reply{Code: Refused, Line: fmt.Sprintf("this socket belongs to the driver of session %s, not of session %q: nothing was recorded", l.sess.ID(), req.Session)}
	}
	return decide(l.sess, session.LocalPeer(uid), req)
}

// decide asks the core to record peer's decision and words the outcome.
func decide(sess *session.Session, peer session.Peer, req request) Reply {
	var (
		rec  fold.OverrideRecord
		err  error
		verb string
	)
	switch req.Op {
	case OpApprove:
		rec, err = sess.ApproveFrom(peer, req.Item)
		verb = "approved"
	case OpReject:
		rec, err = sess.RejectFrom(peer, req.Item)
		verb = "rejected"
	default:
		return Reply{Code: Refused, Line: fmt.Sprintf("unknown request %q", req.Op)}
	}
	var refused *session.RefusedError
	switch {
	case err == nil:
		return Reply{Code: Done, Line: fmt.Sprintf("%s the override of %s/%s requested by %s (%s), as %s (uid %d) in session %s",
			verb, rec.Phase, rec.Item, rec.RequestedBy, rec.Reason, peer.Login, peer.UID, sess.ID())}
	case errors.As(err, &refused):
		return Reply{Code: Refused, Line: refused.Reason}
	case errors.Is(err, session.ErrNothingPending):
		what := "no override"
		if req.Item != "" {
			what = "no override of " + req.Item
		}
		return Reply{Code: NoneHere, Line: fmt.Sprintf("%s waits for approval in session %s", what, sess.ID())}
	case errors.Is(err, session.ErrClosed):
		return Reply{Code: NoneHere, Line: fmt.Sprintf("session %s is closing", sess.ID())}
	}
	return Reply{Code: LogError, Line: fmt.Sprintf("session %s: %v", sess.ID(), err)}
}
