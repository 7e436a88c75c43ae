package serve

import (
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

// rawConn opens a TCP connection that never speaks SSH.
func rawConn(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, deadline)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// greeted reports whether the server sent its SSH version line on c (it
// does so at once to a connection it admits), false when it closed c.
func greeted(t *testing.T, c net.Conn) bool {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(deadline))
	buf := make([]byte, 4)
	_, err := c.Read(buf)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("neither greeted nor closed within %s", deadline)
	}
	return err == nil && string(buf) == "SSH-"
}

// closedByServer waits until the server closes c, after reading what it
// sent; the read deadline only bounds the test.
func closedByServer(t *testing.T, c net.Conn) bool {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(deadline))
	buf := make([]byte, 256)
	for {
		if _, err := c.Read(buf); err != nil {
			var ne net.Error
			return !(errors.As(err, &ne) && ne.Timeout())
		}
	}
}

func TestConnectionsBeyondTheCapAreRefused(t *testing.T) {
	r := newRigWith(t, func(s *Server) { s.opts.MaxConnections = 3 })
	var held []net.Conn
	for range 3 {
		c := rawConn(t, r.addr)
		if !greeted(t, c) {
			t.Fatal("a connection within the cap was closed")
		}
		held = append(held, c)
	}
	for i := range 2 {
		if c := rawConn(t, r.addr); greeted(t, c) {
			t.Fatalf("connection %d beyond the cap was served", i+1)
		}
	}
	if !strings.Contains(r.out.String(), "refusing connections: 3 are open, the most allowed (--max-connections)") {
		t.Errorf("server log:\n%s", r.out)
	}
	// a place freed is taken again (the server learns of the close a moment later)
	held[0].Close()
	for end := time.Now().Add(deadline); ; {
		if greeted(t, rawConn(t, r.addr)) {
			break
		}
		if time.Now().After(end) {
			t.Fatal("a freed place was never given again")
		}
		time.Sleep(20 * time.Millisecond) // polling, not synchronisation
	}
}

func TestConnectionWithoutLoginIsClosed(t *testing.T) {
	r := newRigWith(t, func(s *Server) { s.opts.LoginTimeout = 300 * time.Millisecond })
	alice := r.connect("alice") // logged in before the silent one arrives
	silent := rawConn(t, r.addr)
	if !closedByServer(t, silent) {
		t.Fatalf("a connection that never logged in is still open after %s", deadline)
	}
	if !strings.Contains(r.out.String(), "no login within 300ms") {
		t.Errorf("server log:\n%s", r.out)
	}
	// a participant who logged in is not cut off by the login timeout
	if _, _, err := alice.cl.SendRequest("keepalive@openssh.com", true, nil); err != nil {
		t.Errorf("logged-in connection closed: %v", err)
	}
}
