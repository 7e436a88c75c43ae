package serve

import (
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"runway/runbook/session"
)

// room is who is connected. Programs learn of arrivals and departures
// through latest-wins wake-ups, so a stalled program never holds up the
// others or the connection handlers.
type room struct {
	mu    sync.Mutex
	conns []*conn // in order of arrival
	next  int

	wake session.Wakeups
}

// conn is one SSH connection and its program.
type conn struct {
	id    int
	who   session.Participant
	from  string
	since time.Time
	out   *meter

	mu   sync.Mutex
	prog *tea.Program // set once the program is built
}

func newRoom() *room { return &room{} }

// join records a connection.
func (r *room) join(who session.Participant, from string, out *meter) *conn {
	r.mu.Lock()
	r.next++
	c := &conn{id: r.next, who: who, from: from, since: time.Now(), out: out}
	r.conns = append(r.conns, c)
	r.mu.Unlock()
	r.notify()
	return c
}

// leave forgets a connection.
func (r *room) leave(c *conn) {
	r.mu.Lock()
	for i, x := range r.conns {
		if x == c {
			r.conns = append(r.conns[:i], r.conns[i+1:]...)
			break
		}
	}
	r.mu.Unlock()
	r.notify()
}

// list copies the connections.
func (r *room) list() []*conn {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*conn(nil), r.conns...)
}

// here lists the participants connected, once each, in order of arrival.
func (r *room) here() []session.Participant {
	var out []session.Participant
	seen := map[string]bool{}
	for _, c := range r.list() {
		if !seen[c.who.Name] {
			seen[c.who.Name] = true
			out = append(out, c.who)
		}
	}
	return out
}

// subscribe returns a wake-up that fires, coalesced, when someone arrives
// or leaves, and a function to stop listening.
func (r *room) subscribe() (<-chan struct{}, func()) { return r.wake.Subscribe() }

func (r *room) notify() { r.wake.Notify() }

func (c *conn) setProgram(p *tea.Program) {
	c.mu.Lock()
	c.prog = p
	c.mu.Unlock()
}

func (c *conn) program() *tea.Program {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.prog
}
