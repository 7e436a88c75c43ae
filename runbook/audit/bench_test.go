package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The benchmarks below run side by side so their figures come from the same
// machine in the same minute:
//
//	go test -run '^$' -bench . -benchtime 2000x ./runbook/audit
//
// BenchmarkAppendVsRaw interleaves the two durable writes one for one and
// reports their ratio, which is the figure to trust on a busy machine.

var smallPayload = json.RawMessage(`{"attempt":1,"summary":"SELECT 1 returned 1"}`)

func smallEvent(session string) Event {
	return Event{Session: session, Actor: "alice", Kind: "item.passed", Phase: "preparation", Item: "target-up", Payload: smallPayload}
}

// BenchmarkAppendDurable measures Log.Append of a small event: one
// synchronous=FULL transaction each.
func BenchmarkAppendDurable(b *testing.B) {
	l, _ := newLog(b)
	s := newSession(b, l)
	e := smallEvent(s.ID)
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		if _, err := l.Append(e); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
}

// rawInserter is the reference: the driver alone, a prepared INSERT of the
// same row shape into the same table with the same pragmas, in its own
// transaction.
type rawInserter struct {
	db   *sql.DB
	ins  *sql.Stmt
	seq  int64
	hash string
}

func newRawInserter(b *testing.B) *rawInserter {
	path := filepath.Join(b.TempDir(), "raw.db")
	db, err := sql.Open("sqlite", dsn(path, "_pragma=busy_timeout(10000)", "_pragma=synchronous(FULL)", "_pragma=foreign_keys(1)", "_pragma=journal_mode(WAL)"))
	if err != nil {
		b.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	b.Cleanup(func() { db.Close() })
	for _, s := range schema {
		if _, err := db.Exec(s); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := db.Exec(`INSERT INTO sessions (` + sessionColumns + `) VALUES ('s','rb','p',x'00','h','alice','host','t','','running')`); err != nil {
		b.Fatal(err)
	}
	ins, err := db.Prepare(`INSERT INTO events (` + eventColumns + `) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		b.Fatal(err)
	}
	return &rawInserter{db: db, ins: ins, hash: strings.Repeat("ab", 32)}
}

func (r *rawInserter) insert(b *testing.B) {
	tx, err := r.db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	r.seq++
	if _, err := tx.Stmt(r.ins).Exec(r.seq, "s", formatTime(time.Now()), r.seq, "run", "alice", "item.passed",
		"preparation", "target-up", string(smallPayload), r.hash, r.hash); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkRawDriverDurableInsert is the reference for BenchmarkAppendDurable.
func BenchmarkRawDriverDurableInsert(b *testing.B) {
	r := newRawInserter(b)
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		r.insert(b)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
}

// BenchmarkAppendVsRaw alternates one Append and one raw insert, so both see
// the same disk and the same neighbours, and reports their cost ratio.
func BenchmarkAppendVsRaw(b *testing.B) {
	l, _ := newLog(b)
	s := newSession(b, l)
	e := smallEvent(s.ID)
	r := newRawInserter(b)
	var tAppend, tRaw time.Duration
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		if _, err := l.Append(e); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		r.insert(b)
		tRaw += time.Since(t1)
		tAppend += t1.Sub(t0)
	}
	b.ReportMetric(float64(b.N)/tAppend.Seconds(), "append-events/s")
	b.ReportMetric(float64(b.N)/tRaw.Seconds(), "raw-events/s")
	b.ReportMetric(tAppend.Seconds()/tRaw.Seconds(), "append/raw")
}

// A log of a million events, built once for the read benchmarks.
const bigEvents = 1_000_000

var (
	bigOnce sync.Once
	bigDir  string
	bigPath string
	bigErr  error
)

func bigLog(b *testing.B) string {
	bigOnce.Do(func() {
		// RUNWAY_AUDIT_BENCH_LOG keeps the log between runs.
		if bigPath = os.Getenv("RUNWAY_AUDIT_BENCH_LOG"); bigPath != "" {
			if _, err := os.Stat(bigPath); err == nil {
				return
			}
		} else {
			if bigDir, bigErr = os.MkdirTemp("", "audit-bench"); bigErr != nil {
				return
			}
			bigPath = filepath.Join(bigDir, "runway.db")
		}
		start := time.Now()
		bigErr = fillLog(bigPath, bigEvents)
		b.Logf("built a log of %d events in %v", bigEvents, time.Since(start).Round(time.Millisecond))
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	return bigPath
}

// fillLog writes n events (the session.opened event included) in big batches.
func fillLog(path string, n int) error {
	l, err := openQuiet(path)
	if err != nil {
		return err
	}
	defer l.Close()
	s, err := l.CreateSession(SessionInfo{Runbook: "bench", Operator: "alice", RunbookText: []byte("version: 1\n")})
	if err != nil {
		return err
	}
	batch := make([]Event, 0, 20_000)
	for left := n - 1; left > 0; {
		batch = batch[:0]
		for i := 0; i < cap(batch) && left > 0; i++ {
			batch = append(batch, Event{Session: s.ID, Actor: "engine", Kind: "engine.progress", Phase: "full", Item: "copy-orders",
				Payload: json.RawMessage(fmt.Sprintf(`{"rows":%d,"rate":20000}`, left))})
			left--
		}
		if _, err := l.AppendBatch(batch); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkScan folds a million events through Scan.
func BenchmarkScan(b *testing.B) {
	path := bigLog(b)
	l, err := OpenReadOnly(path)
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		n := 0
		if err := l.Scan(context.Background(), "", 0, func(e Event) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		if n != bigEvents {
			b.Fatalf("scanned %d events, want %d", n, bigEvents)
		}
	}
	b.ReportMetric(float64(b.N*bigEvents)/time.Since(start).Seconds(), "events/s")
}

// rawScan is the reference for Scan: the driver alone reading the same
// columns into typed variables.
func rawScan(b *testing.B, db *sql.DB) int {
	rows, err := db.Query(`SELECT ` + eventColumns + ` FROM events WHERE seq > 0 ORDER BY seq`)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var (
		seq, mono                                              int64
		session, tm, run, actor, kind, phase, item, prev, hash string
		payload                                                []byte
	)
	n := 0
	for rows.Next() {
		if err := rows.Scan(&seq, &session, &tm, &mono, &run, &actor, &kind, &phase, &item, &payload, &prev, &hash); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkScanAgainstDriver alternates a full Scan and a full raw driver read of the
// million events and reports their cost ratio.
func BenchmarkScanAgainstDriver(b *testing.B) {
	path := bigLog(b)
	l, err := OpenReadOnly(path)
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	db, err := openReaders(path, false)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var tScan, tRaw time.Duration
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		if err := l.Scan(context.Background(), "", 0, func(Event) error { return nil }); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if n := rawScan(b, db); n != bigEvents {
			b.Fatalf("raw read %d events", n)
		}
		tRaw += time.Since(t1)
		tScan += t1.Sub(t0)
	}
	b.ReportMetric(float64(b.N*bigEvents)/tScan.Seconds(), "scan-events/s")
	b.ReportMetric(float64(b.N*bigEvents)/tRaw.Seconds(), "raw-events/s")
	b.ReportMetric(tScan.Seconds()/tRaw.Seconds(), "scan/raw")
}

// BenchmarkVerify checks the hash chain of a million events.
func BenchmarkVerify(b *testing.B) {
	path := bigLog(b)
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		rep, err := Verify(context.Background(), path)
		if err != nil || !rep.OK || rep.Events != bigEvents {
			b.Fatalf("Verify = %+v, %v", rep, err)
		}
	}
	b.ReportMetric(float64(b.N*bigEvents)/time.Since(start).Seconds(), "events/s")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bigDir != "" {
		os.RemoveAll(bigDir)
	}
	os.Exit(code)
}

// BenchmarkSpansAgainstScan lists the sessions of a million-event log the
// way `runway sessions` does (Spans: counts from the index, two events read
// per session) and, alternating, by scanning every event; it reports the
// cost ratio spans/scan.
func BenchmarkSpansAgainstScan(b *testing.B) {
	l, err := OpenReadOnly(bigLog(b))
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	var spans, scan time.Duration
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		sp, err := l.Spans(context.Background())
		if err != nil || len(sp) != 1 {
			b.Fatalf("Spans = %d sessions, %v", len(sp), err)
		}
		for _, s := range sp {
			if s.Events != bigEvents || s.First.Kind != "session.opened" || s.Last.Seq != bigEvents {
				b.Fatalf("span = %d events, first %s, last %d", s.Events, s.First.Kind, s.Last.Seq)
			}
		}
		t1 := time.Now()
		n := 0
		if err := l.Scan(context.Background(), "", 0, func(Event) error { n++; return nil }); err != nil || n != bigEvents {
			b.Fatalf("Scan = %d, %v", n, err)
		}
		spans, scan = spans+t1.Sub(t0), scan+time.Since(t1)
	}
	b.ReportMetric(spans.Seconds()/float64(b.N)*1000, "spans-ms")
	b.ReportMetric(scan.Seconds()/float64(b.N)*1000, "scan-ms")
	b.ReportMetric(spans.Seconds()/scan.Seconds(), "spans/scan")
}
