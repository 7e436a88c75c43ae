package engine

import (
	"net"
	"sync"
	"testing"
)

// freezeProxy forwards TCP to a server and can freeze: it stops passing
// bytes either way without closing anything, as a stalled link or a frozen
// proxy does, until thawed; or it loses one connection for good, as a
// half-open link does, while new ones pass.
type freezeProxy struct {
	target string
	addr   string
	ln     net.Listener

	mu     sync.Mutex
	cond   *sync.Cond
	frozen bool
	lossAt int               // the size of request that loses its link; 0: none (see loseNextRequest)
	lost   map[net.Conn]bool // client connections lost for good
	conns  []net.Conn
}

func newFreezeProxy(t *testing.T, target string) *freezeProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &freezeProxy{target: target, addr: ln.Addr().String(), ln: ln, lost: map[net.Conn]bool{}}
	p.cond = sync.NewCond(&p.mu)
	go p.serve()
	t.Cleanup(p.close)
	return p
}

func (p *freezeProxy) serve() {
	proxyAccept(p.ln, p.target, func(c, s net.Conn) {
		p.mu.Lock()
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		go p.pump(s, c, c)
		go p.pump(c, s, c)
	})
}

// pump copies src to dst, holding every read while the proxy is frozen;
// when either side ends, both are closed (after a thaw, like the bytes).
func (p *freezeProxy) pump(dst, src, client net.Conn) {
	defer func() { dst.Close(); src.Close() }()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		p.waitThawed(client, src == client, n)
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// lossSize is the smallest request after which an armed link is lost:
// rows, not a BEGIN or a ping.
const lossSize = 4096

// waitThawed waits while the proxy is frozen, and forever on a lost
// connection (until the proxy closes). A request of n bytes at least the
// armed size loses its connection after it is passed on.
func (p *freezeProxy) waitThawed(client net.Conn, request bool, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.frozen || p.lost[client] {
		p.cond.Wait()
	}
	if request && p.lossAt > 0 && n >= p.lossAt {
		p.lossAt = 0
		p.lost[client] = true
	}
}

func (p *freezeProxy) freeze() { p.set(true) }
func (p *freezeProxy) thaw()   { p.set(false) }

func (p *freezeProxy) set(frozen bool) {
	p.mu.Lock()
	p.frozen = frozen
	p.cond.Broadcast()
	p.mu.Unlock()
}

// loseNextRequest arms the proxy: the next large request reaches the
// server, and then its connection goes silent both ways for good (its
// close never reaches the server either), as when a link dies just after
// a write went out.
func (p *freezeProxy) loseNextRequest() { p.loseRequestOver(lossSize) }

// loseRequestOver arms the proxy for the next request of at least size bytes.
func (p *freezeProxy) loseRequestOver(size int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lossAt = size
}

// lostOne reports whether an armed loss happened.
func (p *freezeProxy) lostOne() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.lost) > 0
}

func (p *freezeProxy) close() {
	p.mu.Lock()
	p.lost = map[net.Conn]bool{}
	p.frozen = false
	p.cond.Broadcast()
	p.mu.Unlock()
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}
