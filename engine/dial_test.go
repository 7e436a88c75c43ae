package engine

import (
	"net"
	"testing"
)

// Every database connection runway dials probes a silent peer soon.
func TestDialerKeepAlive(t *testing.T) {
	d := newDialer(0)
	ka := d.KeepAliveConfig
	if !ka.Enable || ka.Idle != keepAliveIdle || ka.Interval != keepAliveInterval || ka.Count != keepAliveCount {
		t.Fatalf("keepalive %+v", ka)
	}
}

// The MySQL and PostgreSQL configurations carry runway's dialer.
func TestOpenUsesDialer(t *testing.T) {
	pg, err := parsePostgresURL("postgres://app@db:5432/shop")
	if err != nil {
		t.Fatal(err)
	}
	if pg.conn.DialFunc == nil || pg.conn.ConnectTimeout == 0 {
		t.Fatalf("postgres dial func %v, connect timeout %s", pg.conn.DialFunc != nil, pg.conn.ConnectTimeout)
	}
	cfg, err := ParseMySQLURL("mysql://app@db:3306/shop")
	if err != nil {
		t.Fatal(err)
	}
	d, err := OpenMySQL(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if cfg.DialFunc == nil {
		t.Fatal("mysql config has no dial function")
	}
}

// An IPv6 host is shown in brackets, so its port reads apart from it.
func TestPostgresIdentIPv6(t *testing.T) {
	pg, err := parsePostgresURL("postgres://app@[::1]:5432/shop")
	if err != nil {
		t.Fatal(err)
	}
	if want := "postgres://app@[::1]:5432/shop"; pg.ident != want {
		t.Fatalf("ident %q, want %q", pg.ident, want)
	}
}

// dialedConn dials a listener of this test with runway's dialer.
func dialedConn(t *testing.T) *net.TCPConn {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		if c, err := ln.Accept(); err == nil {
			t.Cleanup(func() { c.Close() })
		}
	}()
	c, err := newDialer(0).Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c.(*net.TCPConn)
}
