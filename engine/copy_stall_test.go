package engine

import (
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"runway/engine/enginetest"
)

// TestCopyStallReconnects freezes the link to the target mid-copy: no byte
// passes, nothing closes. The chunk's round trips give up after the stall
// limit, the copy says what stopped answering, reconnects once the link is
// back and ends with every row exactly once.
func TestCopyStallReconnects(t *testing.T) {
	testCopyStall(t, (*freezeProxy).freeze)
}

// TestCopyHalfOpenLink loses the target's connection mid-copy for good,
// just after a chunk's rows went out, as a dead tunnel or dropped NAT state
// does, while new connections get through: the copy reconnects, ends the
// session left behind on the server (whose open transaction holds the
// chunk's rows locked) and goes on.
func TestCopyHalfOpenLink(t *testing.T) {
	testCopyStall(t, (*freezeProxy).loseNextRequest)
}

func testCopyStall(t *testing.T, freeze func(*freezeProxy)) {
	for _, engine := range []string{MySQL, Postgres} {
		t.Run(engine, func(t *testing.T) {
			const n = 6000
			src := openSQLiteT(t, "src")
			seedOrders(t, src, n)
			direct, dst, proxy := stallTarget(t, engine)
			updateCounter(t, direct)
			res, note := copyThroughFreeze(t, src, dst, func() { freeze(proxy) }, proxy.thaw)
			want := "no answer from " + dst.String() + " for 1s while writing chunk "
			t.Logf("note: %s; %d retries", note, res.Tables[0].Retries)
			if !strings.HasPrefix(note, want) || !strings.HasSuffix(note, "; reconnecting") {
				t.Fatalf("note %q, want %q…; reconnecting", note, want)
			}
			if got := countT(t, direct, "o"); got != n || res.Tables[0].Total != n {
				t.Fatalf("target holds %d rows (result %d), want %d", got, res.Tables[0].Total, n)
			}
			if r := rewrites(t, direct); r != 0 {
				t.Fatalf("%d rows written twice", r)
			}
			ts, a := readAll(t, src, "o")
			td, b := readAll(t, direct, "o")
			sameRows(t, "after a stall", ts, a, td, b, false)
		})
	}
}

// copyThroughFreeze copies table o to dst, calling freeze after the
// third chunk and thaw once the copy reports the stall (or, should
// it never, after a minute). It returns the first note after the freeze.
func copyThroughFreeze(t *testing.T, src, dst *DB, freeze, thaw func()) (CopyResult, string) {
	var mu sync.Mutex
	var note string
	reported := make(chan struct{})
	frozen, chunks := false, 0
	opts := CopyOptions{Tables: []string{"o"}, Create: true, AllowTargetTriggers: true, MaxChunkRows: 300, stallAfter: time.Second,
		OnCheckpoint: func(Checkpoint) {
			if chunks++; chunks == 3 { // called in commit order, one at a time
				mu.Lock()
				frozen = true
				mu.Unlock()
				freeze()
				go thawAfter(t, thaw, reported)
			}
		},
		Progress: func(p Progress) {
			mu.Lock()
			defer mu.Unlock()
			if frozen && note == "" && p.Note != "" {
				note = p.Note
				close(reported)
			}
		}}
	res := copyT(t, src, dst, opts)
	mu.Lock()
	defer mu.Unlock()
	return res, note
}

// thawAfter thaws the proxy once the stall is reported, or after a minute.
func thawAfter(t *testing.T, thaw func(), reported <-chan struct{}) {
	select {
	case <-reported:
	case <-time.After(time.Minute):
		t.Errorf("no progress note within a minute of the freeze")
	}
	thaw()
}

// stallTarget is a fresh database of engine, opened directly and through a
// freezing proxy.
func stallTarget(t *testing.T, engine string) (direct, viaProxy *DB, proxy *freezeProxy) {
	var target, proxied string
	if engine == MySQL {
		dsn, _ := enginetest.MySQLPrefixed(t, "rw_netstall_")
		cfg, _ := mysql.ParseDSN(dsn)
		target = dsn
		proxy = newFreezeProxy(t, cfg.Addr)
		cfg.Addr = proxy.addr
		proxied = cfg.FormatDSN()
	} else {
		target = enginetest.PostgresPrefixed(t, "rw_netstall_")
		u, _ := url.Parse(target)
		proxy = newFreezeProxy(t, u.Host)
		u.Host = proxy.addr
		proxied = u.String()
	}
	return openT(t, engine, target), openT(t, engine, proxied), proxy
}

func openT(t *testing.T, engine, dsn string) *DB {
	t.Helper()
	d, err := Open(engine, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// TestCopyReadStall freezes the link to a PostgreSQL source mid-copy: the
// read gives up after the stall limit, says so, and the copy ends exact
// once the link is back.
func TestCopyReadStall(t *testing.T) {
	const n = 6000
	direct, src, proxy := stallTarget(t, Postgres)
	seedOrders(t, direct, n)
	dst := openSQLiteT(t, "dst")
	res, note := copyThroughFreeze(t, src, dst, proxy.freeze, proxy.thaw)
	want := "no answer from " + src.String() + " for 1s while reading; reconnecting"
	if note != want {
		t.Fatalf("note %q, want %q", note, want)
	}
	if got := countT(t, dst, "o"); got != n || res.Tables[0].Total != n {
		t.Fatalf("target holds %d rows (result %d), want %d", got, res.Tables[0].Total, n)
	}
	ts, a := readAll(t, direct, "o")
	td, b := readAll(t, dst, "o")
	sameRows(t, "after a read stall", ts, a, td, b, false)
}
