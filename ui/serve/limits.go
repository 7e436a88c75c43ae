package serve

import (
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
)

// Defaults for the connection limits in Options.
const (
	DefaultLoginTimeout   = 20 * time.Second
	DefaultMaxConnections = 32
)

// limits holds what admit counts.
type limits struct {
	open atomic.Int64 // connections admitted and not yet closed
	full atomic.Bool  // a refusal was logged since the count was last below the cap
}

// admit is the server's ConnCallback: past MaxConnections open connections
// (logged in or not) a new one is closed at once, and one that has not
// logged in within LoginTimeout is closed then, so that idle or half-open
// sockets cannot use up the server.
func (s *Server) admit(ctx ssh.Context, c net.Conn) net.Conn {
	max, wait := s.opts.MaxConnections, s.opts.LoginTimeout
	if s.lim.open.Add(1) > int64(max) {
		s.lim.open.Add(-1)
		if s.lim.full.CompareAndSwap(false, true) {
			s.logf("refusing connections: %d are open, the most allowed (--max-connections)", max)
		}
		return nil
	}
	g := &gatedConn{Conn: c, release: func() {
		s.lim.open.Add(-1)
		s.lim.full.Store(false)
	}}
	timer := time.AfterFunc(wait, func() {
		if ctx.Value(ssh.ContextKeyConn) == nil { // set once the client has logged in
			s.logf("closed a connection from %s: no login within %s", c.RemoteAddr(), wait)
			g.Close()
		}
	})
	g.stop = func() { timer.Stop() }
	return g
}

// gatedConn gives its place back when it is closed, once.
type gatedConn struct {
	net.Conn
	once    sync.Once
	release func()
	stop    func()
}

// Close closes the connection and frees its place.
func (g *gatedConn) Close() error {
	err := g.Conn.Close()
	g.once.Do(func() {
		g.stop()
		g.release()
	})
	return err
}
