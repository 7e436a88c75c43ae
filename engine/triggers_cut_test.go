package engine

import (
	"bytes"
	"context"
	"io"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"runway/engine/enginetest"
)

// cutAfterRequest forwards TCP to a server and, once, cuts the client's
// link right after forwarding the first request holding marker: the
// server goes on running it and never hears that its answer is lost.
func cutAfterRequest(t *testing.T, target, marker string) (addr string, cut func() bool) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	armed, hit := true, false
	var servers []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, s := range servers {
			s.Close()
		}
	})
	go proxyAccept(ln, target, func(c, s net.Conn) {
		mu.Lock()
		servers = append(servers, s)
		mu.Unlock()
		go func() { // answers
			io.Copy(c, s)
			c.Close()
		}()
		go func() { // requests
			buf := make([]byte, 32<<10)
			for {
				n, err := c.Read(buf)
				if n > 0 {
					if _, werr := s.Write(buf[:n]); werr != nil {
						return
					}
					mu.Lock()
					lose := armed && bytes.Contains(buf[:n], []byte(marker))
					if lose {
						armed, hit = false, true
					}
					mu.Unlock()
					if lose {
						c.Close() // the server's side stays open: it runs the request on
						return
					}
				}
				if err != nil {
					return
				}
			}
		}()
	})
	return ln.Addr().String(), func() bool { mu.Lock(); defer mu.Unlock(); return hit }
}

// A CREATE TRIGGER that waits for a lock when its link is lost goes on in
// the server. The install's next attempt must not create the trigger a
// second time (MySQL answers "Trigger already exists") nor count it twice.
func TestInstallTriggersAfterALinkLostDuringALockWait(t *testing.T) {
	dsn, _ := enginetest.MySQL(t)
	direct := openMySQLDSNT(t, dsn)
	execT(t, direct, "CREATE TABLE items (id INT PRIMARY KEY, v INT)", "INSERT INTO items VALUES (1, 1)")
	ctx := context.Background()
	holder, err := direct.SQL().BeginTx(ctx, nil) // holds a lock on items a CREATE TRIGGER waits for
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback()
	var n int
	if err := holder.QueryRow("SELECT COUNT(*) FROM items").Scan(&n); err != nil {
		t.Fatal(err)
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	var cut func() bool
	cfg.Addr, cut = cutAfterRequest(t, cfg.Addr, "CREATE TRIGGER")
	src := openMySQLDSNT(t, cfg.FormatDSN())
	go func() {
		time.Sleep(3 * time.Second)
		holder.Commit()
	}()
	made, err := InstallTriggers(ctx, src, "change_log", []string{"items"})
	if !cut() {
		t.Fatal("the link was not cut")
	}
	if err != nil {
		t.Fatalf("install after a link lost during a lock wait: %v", err)
	}
	if made != 3 {
		t.Errorf("install says it created %d triggers, want 3", made)
	}
	got := textColumn(t, direct, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY TRIGGER_NAME")
	if want := []string{"runway_items_del", "runway_items_ins", "runway_items_upd"}; !slices.Equal(got, want) {
		t.Errorf("triggers %v, want %v", got, want)
	}
}
