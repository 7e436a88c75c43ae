// Package serve is pairing over SSH: one session core, and a console
// program per connected participant, each with its own terminal size and
// colours. Identity is the client's public key, mapped by a roster to a
// name and a role; unknown keys are refused at authentication.
//
// Roles are enforced by the session core (session.DoAs), not by the keys a
// console shows. Control is held by one participant at a time: the lead
// (the session's operator) holds it until handing it over (ctrl+g) and can
// always take it back (ctrl+t); both are control.handed events. A
// two-person override waits for an approver's confirmation from their own
// connection while the session goes on.
//
// A connection only ever reads the latest state: programs are woken by the
// session's latest-wins subscription and re-read the fold, so a slow or
// stalled client holds up its own program and nothing else.
//
// The lead connects over SSH like everyone else; the terminal that runs
// `runway serve` prints one line per arrival, departure and refused key.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	gossh "golang.org/x/crypto/ssh"

	"runway/runbook/session"
	"runway/ui/inert"
)

// Defaults for Options.
const (
	DefaultListen  = "127.0.0.1:2222"
	DefaultHostKey = ".runway/host_key"
	defaultFPS     = 20
)

// Options configure a pairing server.
type Options struct {
	Listen  string  // host:port; "" means DefaultListen (this machine only)
	HostKey string  // the server's private key file, created (0600) when missing; "" means DefaultHostKey
	Roster  *Roster // who may connect; required
	// RosterFile is the file Roster was read from: when set, it is read
	// again whenever it changes, so keys can be added or revoked while
	// serving (new logins only).
	RosterFile string
	AuditPath  string    // shown in every console's header
	Log        io.Writer // one line per arrival, departure and refused key; nil discards
	FPS        int       // redraws per second per connection at most; 0 means 20
	NoMouse    bool      // leave the mouse to each viewer's terminal
	// LoginTimeout closes a connection that has not logged in by then; 0
	// means DefaultLoginTimeout.
	LoginTimeout time.Duration
	// MaxConnections is how many connections may be open at once, logged
	// in or not; more are closed at once. 0 means DefaultMaxConnections.
	MaxConnections int
	// IdleTimeout closes a connection that has sent and received nothing
	// for that long; 0 means never (a watcher of a quiet session stays).
	IdleTimeout time.Duration
}

// Server serves a session's console over SSH.
type Server struct {
	sess *session.Session
	opts Options
	srv  *ssh.Server
	room *room
	team *rosterWatch
	lim  limits

	ln       net.Listener
	listen   func(network, addr string) (net.Listener, error) // net.Listen; tests shrink socket buffers
	stopping atomic.Bool
	logMu    sync.Mutex
}

// Conn describes one connection, for the server's operator and for tests.
type Conn struct {
	Participant session.Participant
	From        string
	Since       time.Time
	Written     int64         // bytes written to the client so far
	Blocked     time.Duration // how long the current write has waited for the client; 0 when none
}

// New prepares a server for sess; Listen binds it, Serve runs it.
func New(sess *session.Session, opts Options) (*Server, error) {
	if sess == nil || opts.Roster == nil {
		return nil, errors.New("serve: no session or no roster")
	}
	if opts.Listen == "" {
		opts.Listen = DefaultListen
	}
	if opts.HostKey == "" {
		opts.HostKey = DefaultHostKey
	}
	if opts.FPS <= 0 {
		opts.FPS = defaultFPS
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if opts.LoginTimeout <= 0 {
		opts.LoginTimeout = DefaultLoginTimeout
	}
	if opts.MaxConnections <= 0 {
		opts.MaxConnections = DefaultMaxConnections
	}
	s := &Server{sess: sess, opts: opts, room: newRoom(), listen: net.Listen, team: newRosterWatch(opts.Roster, opts.RosterFile)}
	srv, err := wish.NewServer(
		wish.WithHostKeyPath(opts.HostKey),
		wish.WithPublicKeyAuth(s.allow),
		wish.WithMiddleware(func(ssh.Handler) ssh.Handler { return s.handle }),
	)
	if err != nil {
		return nil, fmt.Errorf("serve: host key %s: %w", opts.HostKey, err)
	}
	srv.ConnCallback = s.admit
	srv.IdleTimeout = opts.IdleTimeout
	s.srv = srv
	return s, nil
}

// Listen binds the server's address.
func (s *Server) Listen() error {
	ln, err := s.listen("tcp", s.opts.Listen)
	if err != nil {
		return fmt.Errorf("serve: listen on %s: %w", s.opts.Listen, err)
	}
	s.ln = ln
	return nil
}

// Addr is the address the server listens on, once Listen has succeeded.
func (s *Server) Addr() net.Addr {
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Serve accepts connections until Shutdown; it returns nil then.
func (s *Server) Serve() error {
	if s.ln == nil {
		if err := s.Listen(); err != nil {
			return err
		}
	}
	err := s.srv.Serve(s.ln)
	if s.stopping.Load() || errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return fmt.Errorf("serve on %s: %w", s.ln.Addr(), err)
}

// Shutdown asks every program to quit, so that each client's terminal is
// restored, waits for them until ctx is done, then closes every connection
// that is left (a stalled client among them) and the listener.
func (s *Server) Shutdown(ctx context.Context) error {
	s.stopping.Store(true)
	wake, stop := s.room.subscribe()
	defer stop()
	for _, c := range s.room.list() {
		if p := c.program(); p != nil {
			go p.Quit() // Quit waits for a stalled program; closing its connection frees it
		}
	}
	for len(s.room.list()) > 0 {
		select {
		case <-wake:
		case <-ctx.Done():
			return s.close()
		}
	}
	return s.close()
}

// close drops every connection and the listener, even one Serve has not
// taken yet.
func (s *Server) close() error {
	err := s.srv.Close()
	if s.ln != nil {
		if cerr := s.ln.Close(); cerr != nil && err == nil && !errors.Is(cerr, net.ErrClosed) {
			err = cerr
		}
	}
	return err
}

// HostKey is the server's public host key: participants compare its
// fingerprint with the one their ssh client shows on first connecting.
func (s *Server) HostKey() gossh.PublicKey {
	if len(s.srv.HostSigners) == 0 {
		return nil
	}
	return s.srv.HostSigners[0].PublicKey()
}

// Conns lists the connections, in order of arrival.
func (s *Server) Conns() []Conn {
	now := time.Now()
	var out []Conn
	for _, c := range s.room.list() {
		out = append(out, Conn{
			Participant: c.who, From: c.from, Since: c.since,
			Written: c.out.written.Load(), Blocked: c.out.blocked(now),
		})
	}
	return out
}

// allow admits a key in the roster and nothing else.
func (s *Server) allow(ctx ssh.Context, key ssh.PublicKey) bool {
	if _, ok := s.team.roster(s.logf).Lookup(key); ok {
		return true
	}
	s.logf("refused key %s %s from %s (user %s): not in the roster",
		key.Type(), gossh.FingerprintSHA256(key), ctx.RemoteAddr(), ctx.User())
	return false
}

// handle is one SSH session: the participant's console, if they have a terminal.
func (s *Server) handle(sess ssh.Session) {
	who, ok := s.team.roster(s.logf).Lookup(sess.PublicKey())
	if !ok { // authentication admits roster keys only; this is a second look
		wish.Fatalln(sess, "runway: this key is not in the roster")
		return
	}
	if len(sess.Command()) > 0 {
		wish.Fatalln(sess, "runway serve opens the console only: connect without a command")
		return
	}
	pty, winch, ok := sess.Pty()
	if !ok {
		wish.Fatalln(sess, "runway serve needs a terminal: connect with ssh -t")
		return
	}
	c := s.room.join(who, sess.RemoteAddr().String(), &meter{w: sess})
	s.logf("%s connected from %s (%s, %d×%d)", who, c.from, pty.Term, pty.Window.Width, pty.Window.Height)
	defer func() {
		s.room.leave(c)
		s.logf("%s left (%s)", who, c.from)
	}()
	s.runProgram(sess, c, pty, winch)
	if s.stopping.Load() {
		_, _ = fmt.Fprintln(sess, "runway: serving stopped")
	}
}

// logf writes one line to the server's log. Its values come from the
// network (a stranger's SSH user name, a terminal type, an address) or from
// files (a roster's error): the line is made inert, so that no one can
// drive the terminal that runs `runway serve` or forge a line in it.
func (s *Server) logf(format string, args ...any) {
	line := inert.Line(fmt.Sprintf(format, args...))
	s.logMu.Lock()
	defer s.logMu.Unlock()
	_, _ = fmt.Fprintln(s.opts.Log, time.Now().Format("15:04:05")+" "+line)
}
