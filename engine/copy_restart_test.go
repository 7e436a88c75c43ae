package engine

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"runway/engine/enginetest"
)

// flakyProxy forwards TCP to a server and can "restart" it: drop every
// connection and refuse new ones for a while, as a restarting server does.
type flakyProxy struct {
	t      *testing.T
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func newFlakyProxy(t *testing.T, target string) *flakyProxy {
	p := &flakyProxy{t: t, target: target}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(func() { p.down() })
	return p
}

func (p *flakyProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go proxyAccept(ln, p.target, func(c, s net.Conn) {
		p.mu.Lock()
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		go func() { io.Copy(s, c); s.Close() }()
		go func() { io.Copy(c, s); c.Close() }()
	})
}

// proxyAccept accepts connections on ln until it closes, dials target for
// each, and hands the pair to pair.
func proxyAccept(ln net.Listener, target string, pair func(client, server net.Conn)) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", target)
		if err != nil {
			c.Close()
			continue
		}
		pair(c, s)
	}
}

// down closes the listener and every connection.
func (p *flakyProxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// restart is down, a pause during which connections are refused, then up.
func (p *flakyProxy) restart(pause time.Duration) {
	p.down()
	time.Sleep(pause)
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Errorf("proxy back up: %v", err)
		return
	}
	p.serve(ln)
}

// TestServerRestartRetried copies through a proxy that "restarts" the
// target server twice mid-copy; the copy waits, retries and ends exact.
func TestServerRestartRetried(t *testing.T) {
	const n = 20000
	src := openSQLiteT(t, "src")
	seedOrders(t, src, n)
	dsn, _ := enginetest.MySQL(t)
	cfg, _ := mysql.ParseDSN(dsn)
	direct, err := Open(MySQL, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	updateCounter(t, direct)
	proxy := newFlakyProxy(t, cfg.Addr)
	cfg.Addr = proxy.addr
	dst, err := Open(MySQL, cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	chunks := 0
	res := copyT(t, src, dst, CopyOptions{Tables: []string{"o"}, AllowTargetTriggers: true, MaxChunkRows: 500,
		OnCheckpoint: func(c Checkpoint) {
			chunks++
			if chunks == 4 || chunks == 12 {
				go proxy.restart(700 * time.Millisecond)
			}
		}})
	if res.Tables[0].Retries == 0 {
		t.Fatalf("no retries: %+v", res.Tables[0])
	}
	if got := countT(t, direct, "o"); got != n || res.Tables[0].Total != n {
		t.Fatalf("target holds %d rows (result %d), want %d", got, res.Tables[0].Total, n)
	}
	if r := rewrites(t, direct); r != 0 {
		t.Fatalf("%d rows written twice", r)
	}
	ts, a := readAll(t, src, "o")
	td, b := readAll(t, direct, "o")
	sameRows(t, "after restarts", ts, a, td, b, false)
	t.Logf("%d retries over %d chunks", res.Tables[0].Retries, res.Tables[0].Chunks)
}
