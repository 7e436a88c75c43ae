package session

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"runway/runbook"
	"runway/runbook/audit"
)

// benchCopyRows is the copy's size: large enough that five guards every
// second are sampled several times while it runs.
const benchCopyRows = 1_000_000

// guardsAndNotify are five guards every second and a route sending every
// event of every phase to a webhook; %[1]s is the receiver's URL, %[2]s its
// host:port.
const guardsAndNotify = `notify:
  channels:
    team: {type: webhook, url: "%[1]s/hook"}
  routes:
    - {channels: [team]}
guards:
  - {id: legacy-orders, title: Legacy orders, sql: {conn: legacy, query: "SELECT COUNT(*) FROM orders WHERE id < 100"}, every: 1s, critical: "< 1"}
  - {id: new-tables, title: New tables, sql: {conn: new, query: "SELECT COUNT(*) FROM sqlite_master"}, every: 1s, critical: "> 1000"}
  - {id: app-errors, title: App errors, http: {url: "%[1]s/errors"}, every: 1s, critical: "> 0"}
  - {id: app-up, title: App reachable, tcp: {address: "%[2]s"}, every: 1s, critical: "< 1"}
  - {id: disk-free, title: Disk free, command: {run: "echo 90"}, every: 1s, critical: "< 10"}
`

// benchCopyRunbook is three phases around a SQLite copy, with extra (guards and
// notifications) or without.
func benchCopyRunbook(extra string) string {
	return `version: 1
name: bench
connections:
  legacy: {driver: sqlite, dsn: "legacy.db"}
  new: {driver: sqlite, dsn: "new.db"}
` + extra + `phases:
  - {id: prepare, title: Prepare, items: [{id: source, title: Source, sql: {conn: legacy, query: "SELECT COUNT(*) FROM orders", expect: "> 0"}}]}
  - {id: copy, title: Copy, items: [{id: copy-orders, title: Copy, critical: true, copy: {from: legacy, to: new, tables: [orders], create: true}}]}
  - {id: check, title: Check, items: [{id: target, title: Target, sql: {conn: new, query: "SELECT COUNT(*) FROM orders", expect: "` + fmt.Sprint(benchCopyRows) + `"}}]}
`
}

// BenchmarkCopyWithGuards runs the same copy session without and with five
// guards every second and notifications on every phase, interleaved (ABBA)
// in one run so that the machine's load falls on both alike, and reports
// both rates and their ratio (guarded/plain; the goal is >= 0.95).
func BenchmarkCopyWithGuards(b *testing.B) {
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			fmt.Fprintln(w, 0)
		}
	}))
	defer recv.Close()
	source := filepath.Join(b.TempDir(), "legacy.db")
	benchSource(b, source, benchCopyRows)
	plain := benchCopyRunbook("")
	guarded := benchCopyRunbook(fmt.Sprintf(guardsAndNotify, recv.URL, strings.TrimPrefix(recv.URL, "http://")))
	var took [2]time.Duration // plain, guarded
	i := 0
	for b.Loop() {
		order := []int{0, 1, 1, 0}
		if i%2 == 1 {
			order = []int{1, 0, 0, 1}
		}
		for _, which := range order {
			took[which] += runCopySession(b, source, []string{plain, guarded}[which])
		}
		i++
	}
	rows := float64(2 * benchCopyRows * i)
	b.ReportMetric(rows/took[0].Seconds(), "plain-rows/s")
	b.ReportMetric(rows/took[1].Seconds(), "guarded-rows/s")
	b.ReportMetric(took[0].Seconds()/took[1].Seconds(), "guarded/plain")
}

// runCopySession runs every phase of a fresh session in a folder of its own
// (a copy of the source, no target yet) and closes it; it returns how long
// the session took, from its start to its close.
func runCopySession(b *testing.B, source, text string) time.Duration {
	b.StopTimer()
	dir := b.TempDir()
	data, err := os.ReadFile(source)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "legacy.db"), data, 0o644); err != nil {
		b.Fatal(err)
	}
	rb, err := runbook.Parse(filepath.Join(dir, "bench.yaml"), []byte(text), func(string) (string, bool) { return "", false })
	if err != nil {
		b.Fatal(err)
	}
	log, err := audit.Open(filepath.Join(dir, "runway.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer log.Close()
	b.StartTimer()
	t0 := time.Now()
	s, err := Start(context.Background(), log, rb, Options{Operator: "alice"})
	if err != nil {
		b.Fatal(err)
	}
	for _, ph := range rb.Phases {
		if err := s.Do(RunPhase{Phase: ph.ID}); err != nil {
			b.Fatal(err)
		}
		waitPhasePassed(b, s, ph.ID)
	}
	if err := s.Close(context.Background()); err != nil {
		b.Fatal(err)
	}
	return time.Since(t0)
}

// waitPhasePassed waits, on the session's wake-ups, until the phase passed.
func waitPhasePassed(b *testing.B, s *Session, phase string) {
	wake, stop := s.Subscribe()
	defer stop()
	deadline := time.After(5 * time.Minute)
	for {
		st := s.State()
		_, pi := s.Runbook().Phase(phase)
		if s.Idle() && st.Phases[pi].Status == "passed" {
			return
		}
		if st.Stop != nil {
			b.Fatalf("phase %s stopped: %s", phase, st.Stop.Reason)
		}
		select {
		case <-wake:
		case <-deadline:
			b.Fatalf("phase %s did not pass in 5 minutes: %+v", phase, st.Phases[pi])
		}
	}
}

// benchSource writes n orders into a new SQLite database at path.
func benchSource(b *testing.B, path string, n int) {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		"CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, amount NUMERIC NOT NULL, note TEXT)",
		fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
			INSERT INTO orders SELECT i, 'customer ' || (i %% 977), i * 1.25, printf('order %%d of a benchmark', i) FROM n`, n),
	} {
		if _, err := db.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
}
