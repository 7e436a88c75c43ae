//go:build unix

package serve

import (
	"context"
	"io"
	"net"
	"sync"
	"syscall"
	"testing"
	"time"

	"runway/runbook/event"
	"runway/runbook/session"
)

// A client that stops reading holds up nothing: the lead's actions are
// recorded, the engines run and other participants see the new state, while
// the stalled connection receives nothing; once it reads again it gets the
// latest state, and stopping the server does not wait for it.
func TestStalledClientHoldsNobodyUp(t *testing.T) {
	// Small socket buffers on both sides: a stalled client then blocks the
	// server's writes after kilobytes, not after the megabytes of an SSH
	// window, and the test gets there in a few redraws.
	r := newRigWith(t, func(s *Server) {
		s.listen = func(network, addr string) (net.Listener, error) {
			ln, err := net.Listen(network, addr)
			return smallSendBuffers{ln}, err
		}
	})
	pOlive, pCarol := newStallProxy(t, r.addr), newStallProxy(t, r.addr)
	olive := r.connect("olive", pOlive.addr)
	carol := r.connect("carol", pCarol.addr)
	alice := r.connect("alice")

	for _, c := range []*client{olive, carol} {
		c.stall(r, map[*client]*stallProxy{olive: pOlive, carol: pCarol}[c])
	}
	written := map[string]int64{}
	for _, c := range r.srv.Conns() {
		written[c.Participant.Name] = c.Written
	}

	// The lead drives on: a passes, b fails and holds the phase.
	before := len(r.events())
	alice.press("R")
	alice.waitFor("Yes, run phase one") // asked first, No chosen
	alice.press("\t")
	alice.press(enter)
	r.waitEvent("b failing", kindBy(event.KindItemFailed, "b", "alice"))
	alice.waitFor("STOPPED · one/b")
	alice.press("n")
	alice.waitFor("Add a note")
	alice.press("olive and carol are not reading" + enter)
	r.waitEvent("alice's note", kindBy(event.KindNote, "", "alice"))
	if n := len(r.events()) - before; n < 5 {
		t.Fatalf("%d events appended while two clients stalled, want at least 5:\n%s", n, r.dump())
	}
	for _, c := range r.srv.Conns() {
		name := c.Participant.Name
		if name == "alice" {
			continue
		}
		if c.Blocked == 0 || c.Written != written[name] {
			t.Fatalf("%s: blocked %v, written %d then %d: the stalled connection moved", name, c.Blocked, written[name], c.Written)
		}
	}

	// Olive reads again and gets the latest state, not a replay.
	pOlive.release()
	olive.waitFor("STOPPED · one/b")
	olive.waitFor("olive (observer)")

	// Carol is still stalled: stopping the server does not wait for her.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	stopped := make(chan error, 1)
	go func() { stopped <- r.srv.Shutdown(ctx) }()
	select {
	case err := <-stopped:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(deadline):
		t.Fatal("shutdown waits for a stalled client")
	}
	if err := r.sess.DoAs(session.Participant{Name: "alice", Role: session.RoleLead}, session.Note{Text: "after"}); err != nil {
		t.Fatalf("the session after the server stopped: %v", err)
	}
	_ = carol
}

// stall makes the client's connection stop delivering and has the server
// write to it until a write has been waiting a while: resizing makes the
// program redraw the whole screen.
func (c *client) stall(r *rig, p *stallProxy) {
	c.t.Helper()
	p.stall()
	end := time.Now().Add(deadline)
	for i := 0; ; i++ {
		for _, conn := range r.srv.Conns() {
			if conn.Participant.Name == c.name && conn.Blocked > 300*time.Millisecond {
				// Back to 80×24 for when it reads again; this waits in line.
				go c.ss.WindowChange(24, 80)
				return
			}
		}
		if time.Now().After(end) {
			c.t.Fatalf("%s: no write to the stalled connection blocked: %+v", c.name, r.srv.Conns())
		}
		if err := c.ss.WindowChange(150, 400+i%2); err != nil {
			c.t.Fatalf("%s: resize: %v", c.name, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// smallSendBuffers shrinks the send buffer of each accepted connection.
type smallSendBuffers struct{ net.Listener }

func (l smallSendBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(4096)
	}
	return c, err
}

// stallProxy forwards a TCP connection to the server and can stop reading
// what the server sends, with a small receive buffer so that the server's
// writes soon wait: a client on a dead network, seen from the server.
type stallProxy struct {
	t    *testing.T
	addr string
	to   string

	mu      sync.Mutex
	stopped chan struct{} // non-nil while stalled; closed to release
}

func newStallProxy(t *testing.T, to string) *stallProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &stallProxy{t: t, addr: ln.Addr().String(), to: to}
	t.Cleanup(func() { ln.Close(); p.release() })
	go func() {
		for {
			down, err := ln.Accept()
			if err != nil {
				return
			}
			go p.pipe(down)
		}
	}()
	return p
}

func (p *stallProxy) pipe(down net.Conn) {
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) {
			_ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
		})
	}}
	up, err := d.Dial("tcp", p.to)
	if err != nil {
		down.Close()
		return
	}
	defer up.Close()
	defer down.Close()
	go func() { _, _ = io.Copy(up, down) }()
	buf := make([]byte, 1024)
	for {
		p.wait()
		n, err := up.Read(buf)
		if n > 0 {
			if _, werr := down.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *stallProxy) stall() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped == nil {
		p.stopped = make(chan struct{})
	}
}

func (p *stallProxy) release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped != nil {
		close(p.stopped)
		p.stopped = nil
	}
}

func (p *stallProxy) wait() {
	p.mu.Lock()
	ch := p.stopped
	p.mu.Unlock()
	if ch != nil {
		<-ch
	}
}
