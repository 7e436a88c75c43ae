package engine

import (
	"bytes"
	"context"
	"net"
	"slices"
	"sync"
	"testing"

	"github.com/go-sql-driver/mysql"

	"runway/engine/enginetest"
)

// answerLossProxy forwards TCP to a server and, once, loses the answer to
// the first request holding marker: the server runs the request and
// answers, and the link dies before the answer arrives, as when a
// connection drops right after a statement went out.
type answerLossProxy struct {
	marker []byte

	mu    sync.Mutex
	armed bool
	cut   map[net.Conn]bool // server side: drop its next answer and close
	hits  int
}

func newAnswerLossProxy(t *testing.T, target string, marker string) (addr string, p *answerLossProxy) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	p = &answerLossProxy{marker: []byte(marker), armed: true, cut: map[net.Conn]bool{}}
	go proxyAccept(ln, target, func(c, s net.Conn) {
		go p.requests(c, s)
		go p.answers(s, c)
	})
	return ln.Addr().String(), p
}

// lost is how many answers the proxy lost.
func (p *answerLossProxy) lost() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hits
}

func (p *answerLossProxy) requests(c, s net.Conn) {
	defer s.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			p.mu.Lock()
			if p.armed && bytes.Contains(buf[:n], p.marker) {
				p.armed = false
				p.cut[s] = true
				p.hits++
			}
			p.mu.Unlock()
			if _, werr := s.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *answerLossProxy) answers(s, c net.Conn) {
	defer c.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := s.Read(buf)
		p.mu.Lock()
		lose := p.cut[s]
		p.mu.Unlock()
		if lose {
			s.Close()
			return
		}
		if n > 0 {
			if _, werr := c.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// TestInstallTriggersAfterALostAnswer loses the answer to a CREATE
// TRIGGER the server ran: the install goes on over a new connection, finds
// the trigger there and does not make it again, and counts it once.
func TestInstallTriggersAfterALostAnswer(t *testing.T) {
	dsn, _ := enginetest.MySQL(t)
	direct := openMySQLDSNT(t, dsn)
	execT(t, direct, "CREATE TABLE items (id INT PRIMARY KEY, v INT)")
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	var proxy *answerLossProxy
	cfg.Addr, proxy = newAnswerLossProxy(t, cfg.Addr, "CREATE TRIGGER")
	src := openMySQLDSNT(t, cfg.FormatDSN())

	n, err := InstallTriggers(context.Background(), src, "change_log", []string{"items"})
	if err != nil {
		t.Fatalf("install after a lost answer: %v", err)
	}
	if hits := proxy.lost(); hits != 1 {
		t.Fatalf("the proxy lost %d answers, want 1", hits)
	}
	if n != 3 {
		t.Errorf("install says it created %d triggers, want 3", n)
	}
	got := textColumn(t, direct, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY TRIGGER_NAME")
	if want := []string{"runway_items_del", "runway_items_ins", "runway_items_upd"}; !slices.Equal(got, want) {
		t.Errorf("triggers %v, want %v", got, want)
	}
	execT(t, direct, "INSERT INTO items VALUES (1, 1)", "UPDATE items SET v = 2 WHERE id = 1")
	if logged := countT(t, direct, "change_log"); logged != 2 {
		t.Errorf("the log holds %d changes after an insert and an update, want 2", logged)
	}
}

// TestRemoveTriggersAfterALostAnswer loses the answer to a DROP TRIGGER
// the server ran: the removal goes on over a new connection, finds the
// trigger gone, and counts it once.
func TestRemoveTriggersAfterALostAnswer(t *testing.T) {
	dsn, _ := enginetest.MySQL(t)
	direct := openMySQLDSNT(t, dsn)
	execT(t, direct, "CREATE TABLE items (id INT PRIMARY KEY, v INT)")
	if _, err := InstallTriggers(context.Background(), direct, "change_log", []string{"items"}); err != nil {
		t.Fatal(err)
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	var proxy *answerLossProxy
	cfg.Addr, proxy = newAnswerLossProxy(t, cfg.Addr, "DROP TRIGGER")
	src := openMySQLDSNT(t, cfg.FormatDSN())

	n, err := RemoveTriggers(context.Background(), src, "change_log", []string{"items"})
	if err != nil {
		t.Fatalf("remove after a lost answer: %v", err)
	}
	if hits := proxy.lost(); hits != 1 {
		t.Fatalf("the proxy lost %d answers, want 1", hits)
	}
	if n != 3 {
		t.Errorf("remove says it dropped %d triggers, want 3", n)
	}
	if got := textColumn(t, direct, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()"); len(got) != 0 {
		t.Errorf("triggers left: %v", got)
	}
}
