package engine

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLogPositionGaps(t *testing.T) {
	now := time.Unix(1000, 0)
	var p LogPosition
	for _, id := range []int64{1, 2, 5, 3, 9} {
		if !p.Seen(id, now) {
			t.Fatalf("id %d reported as seen before", id)
		}
	}
	if p.Seen(2, now) || p.Seen(9, now) {
		t.Error("an id seen twice was accepted again")
	}
	// seen 1,2,3,5,9: gaps 4 and 6..8
	if p.LowWater() != 3 || p.GapCount() != 4 || !p.InGap(4) || !p.InGap(7) || p.InGap(5) {
		t.Fatalf("low water %d, gaps %v", p.LowWater(), p.Gaps)
	}
	p.Seen(7, now) // splits 6..8
	if len(p.Gaps) != 3 || p.GapCount() != 3 {
		t.Fatalf("after 7: %v", p.Gaps)
	}
	if cond, args := rangesPredicate("id", p.Gaps); !strings.Contains(cond, "id BETWEEN ? AND ?") || len(args) != 6 {
		t.Errorf("gap predicate %q %v", cond, args)
	}
	p.Seen(4, now)
	if p.LowWater() != 5 {
		t.Errorf("low water after 4: %d", p.LowWater())
	}
	p.Seen(12, now.Add(time.Minute)) // gap 10..11, noticed later
	if n := p.Expire(now.Add(DefaultGapTimeout+time.Second), DefaultGapTimeout); n != 2 || p.Skipped != 2 {
		t.Errorf("expired %d (skipped %d), gaps %v", n, p.Skipped, p.Gaps)
	}
	if p.gapsThrough(11) != 2 {
		t.Errorf("gaps through 11: %d (%v)", p.gapsThrough(11), p.Gaps)
	}
	p.expireThrough(10)
	if p.GapCount() != 1 || p.Skipped != 3 || p.LowWater() != 10 {
		t.Errorf("after expiring through 10: gaps %v skipped %d low water %d", p.Gaps, p.Skipped, p.LowWater())
	}
	c := p.Clone()
	c.Seen(11, now)
	if p.GapCount() != 1 || c.GapCount() != 0 {
		t.Error("a clone shares its gaps")
	}
}

func TestParseLogKey(t *testing.T) {
	tb := &Table{Name: "t", Columns: []Column{{Name: "id", Family: FamInt}, {Name: "region", Family: FamText}, {Name: "b", Family: FamBytes}}, Key: []int{0}}
	k, err := parseLogKey("42", tb)
	if err != nil || len(k) != 1 || k[0].Kind != KindInt || string(k[0].B) != "42" {
		t.Errorf("single key: %v %v", k, err)
	}
	tb.Key = []int{0, 1}
	k, err = parseLogKey(`[42, "EU"]`, tb)
	if err != nil || len(k) != 2 || k[1].Kind != KindText || string(k[1].B) != "EU" {
		t.Errorf("composite key: %v %v", k, err)
	}
	if _, err := parseLogKey(`42`, tb); err == nil {
		t.Error("a composite key without an array was accepted")
	}
	if _, err := parseLogKey(`[1,2,3]`, tb); err == nil {
		t.Error("a key with too many values was accepted")
	}
	tb.Key = []int{2}
	if k, _ := parseLogKey("00FF", tb); k[0].Kind != KindBytes || string(k[0].B) != "\x00\xff" {
		t.Errorf("bytes key: %v", k)
	}
}

// items is the table the catch-up tests change.
func itemsDDL(d *DB) string {
	if d.Driver() == Postgres {
		return "CREATE TABLE items (id BIGINT NOT NULL PRIMARY KEY, v INT NOT NULL, amount NUMERIC(10,2), note VARCHAR(64))"
	}
	if d.Driver() == MySQL {
		return "CREATE TABLE items (id BIGINT NOT NULL PRIMARY KEY, v INT NOT NULL, amount DECIMAL(10,2) NULL, note VARCHAR(64) NULL) DEFAULT CHARSET=utf8mb4"
	}
	return "CREATE TABLE items (id INTEGER PRIMARY KEY, v INT NOT NULL, amount DECIMAL(10,2), note VARCHAR(64))"
}

func fillItems(t *testing.T, d *DB, n int) {
	t.Helper()
	execT(t, d, itemsDDL(d))
	for lo := 1; lo <= n; lo += 1000 {
		var vals []string
		for i := lo; i < lo+1000 && i <= n; i++ {
			vals = append(vals, fmt.Sprintf("(%d, %d, '%d.%02d', 'item %d')", i, i%97, i, i%100, i))
		}
		execT(t, d, "INSERT INTO items VALUES "+strings.Join(vals, ","))
	}
}

// writer makes random changes to items until stopped: inserts above n,
// updates, deletes, and now and then a key change.
type writer struct {
	d       *DB
	next    atomic.Int64
	changes atomic.Int64
	deleted sync.Map // ids deleted (and not inserted again)
	stop    chan struct{}
	done    chan error
}

func startWriter(d *DB, n int, every time.Duration, seed int64) *writer {
	w := &writer{d: d, stop: make(chan struct{}), done: make(chan error, 1)}
	w.next.Store(int64(n))
	go func() {
		r := rand.New(rand.NewSource(seed))
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-w.stop:
				w.done <- nil
				return
			case <-tick.C:
			}
			if err := w.change(r); err != nil {
				w.done <- err
				return
			}
		}
	}()
	return w
}

func (w *writer) change(r *rand.Rand) error {
	id := 1 + r.Int63n(w.next.Load())
	var q string
	switch n := r.Intn(20); {
	case n < 6:
		id = w.next.Add(1)
		q = fmt.Sprintf("INSERT INTO items VALUES (%d, %d, '%d.50', 'new %d')", id, r.Intn(100), r.Intn(1000), id)
		w.deleted.Delete(id)
	case n < 15:
		q = fmt.Sprintf("UPDATE items SET v = v + 1, amount = %d.25, note = 'upd %d' WHERE id = %d", r.Intn(1000), r.Intn(1000), id)
	case n < 19:
		q = fmt.Sprintf("DELETE FROM items WHERE id = %d", id)
		w.deleted.Store(id, true)
	default: // a key change: the old key disappears, a new one appears
		nid := w.next.Add(1)
		q = fmt.Sprintf("UPDATE items SET id = %d WHERE id = %d", nid, id)
		w.deleted.Store(id, true)
	}
	if _, err := w.d.SQL().Exec(q); err != nil {
		return fmt.Errorf("%s: %w", q, err)
	}
	w.changes.Add(1)
	return nil
}

func (w *writer) halt(t *testing.T) {
	t.Helper()
	close(w.stop)
	if err := <-w.done; err != nil {
		t.Fatalf("writer: %v", err)
	}
}

func verifyNoDiffs(t *testing.T, src, dst *DB, table string) VerifyResult {
	t.Helper()
	res, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{table}, ChunkRows: 500})
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if res.DiffCount != 0 || !res.Passed {
		t.Errorf("verify after catch-up: %d differences, first %v", res.DiffCount, res.Diffs)
	}
	return res
}

// TestCatchupConvergesUnderWrites copies a table while a writer changes it,
// catches up until the lag converges with the writer still running, then
// stops the writer, drains, and verifies zero differences.
func TestCatchupConvergesUnderWrites(t *testing.T) {
	for _, pair := range []string{"sqlite->sqlite", "mysql->sqlite", "mysql->mysql", "postgres->postgres", "postgres->mysql", "mysql->postgres", "postgres->sqlite"} {
		t.Run(pair, func(t *testing.T) {
			from, to, _ := strings.Cut(pair, "->")
			open := func(kind, name string) *DB {
				switch kind {
				case "mysql":
					return openMySQLT(t)
				case "postgres":
					return openPostgresT(t)
				}
				return openSQLiteT(t, name)
			}
			src, dst := open(from, "src"), open(to, "dst")
			ctx := context.Background()
			if src.Driver() == SQLite {
				execT(t, src, "PRAGMA journal_mode=WAL") // the application's readers and writers share the file
			}
			fillItems(t, src, 3000)
			if n, err := InstallTriggers(ctx, src, "change_log", []string{"items"}); err != nil || n != 3 {
				t.Fatalf("install triggers: %d, %v", n, err)
			}
			if n, _ := InstallTriggers(ctx, src, "change_log", []string{"items"}); n != 0 {
				t.Errorf("a second install created %d triggers", n)
			}
			w := startWriter(src, 3000, 3*time.Millisecond, 1)
			t0 := time.Now()
			copyT(t, src, dst, CopyOptions{Tables: []string{"items"}, Create: true})
			t.Logf("copy %v", time.Since(t0))
			t0 = time.Now()
			defer func() { t.Logf("end %v", time.Since(t0)) }()

			var notes []string
			var mu sync.Mutex
			res, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Tables: []string{"items"},
				MaxLag: time.Second, ConvergeFor: 500 * time.Millisecond, Poll: 20 * time.Millisecond,
				Progress: func(p Progress) { mu.Lock(); notes = append(notes, p.Note); mu.Unlock() }})
			if err != nil {
				t.Fatalf("catch-up: %v", err)
			}
			if !res.Converged || res.Applied == 0 || res.Upserted == 0 {
				t.Errorf("converge: %+v", res)
			}
			mu.Lock()
			if !strings.Contains(strings.Join(notes, "\n"), "arriving") {
				t.Errorf("no backlog in the progress notes: %q", notes)
			}
			mu.Unlock()

			w.halt(t)
			res, err = Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained, Poll: 20 * time.Millisecond})
			if err != nil || !res.Drained || res.Pending != 0 {
				t.Fatalf("drain: %+v, %v", res, err)
			}
			verifyNoDiffs(t, src, dst, "items")
			deletedPresent := 0
			w.deleted.Range(func(k, _ any) bool {
				var n int
				dst.SQL().QueryRow(fmt.Sprintf("SELECT COUNT(*) FROM items WHERE id = %d", k.(int64))).Scan(&n)
				deletedPresent += n
				return true
			})
			if deletedPresent != 0 {
				t.Errorf("%d deleted rows are on the target", deletedPresent)
			}
			if n, err := RemoveTriggers(ctx, src, "change_log", nil); err != nil || n != 3 {
				t.Errorf("remove triggers: %d, %v", n, err)
			}
			t.Logf("%s: %d changes written, drained at %+v", pair, w.changes.Load(), res.Position)
		})
	}
}

// TestCatchupDeleteDuringCopy is the race a copy cannot handle alone: rows
// deleted on the source while the copy runs, some after their chunk was
// copied (the copy leaves them on the target) and some before. A catch-up
// from a position taken before the copy started removes every one of them.
func TestCatchupDeleteDuringCopy(t *testing.T) {
	for _, to := range []string{"mysql", "sqlite"} {
		t.Run("mysql->"+to, func(t *testing.T) {
			ctx := context.Background()
			src := openMySQLT(t)
			dst := openMySQLT(t)
			if to == "sqlite" {
				dst = openSQLiteT(t, "dst")
			}
			const rows = 20000
			fillItems(t, src, rows)
			if _, err := InstallTriggers(ctx, src, "change_log", []string{"items"}); err != nil {
				t.Fatal(err)
			}
			execT(t, src, "UPDATE items SET v = v + 1 WHERE id <= 100") // history before the copy
			if pos, err := MarkCatchupStart(ctx, src, dst, "change_log", ""); err != nil || pos.MaxSeen != 100 {
				t.Fatalf("mark: %+v, %v", pos, err)
			}

			copied := make(chan int64, 100)
			done := make(chan error, 1)
			go func() {
				_, err := Copy(ctx, src, dst, CopyOptions{Tables: []string{"items"}, Create: true,
					Control: NewControl(20000), MaxChunkRows: 2000,
					OnCheckpoint: func(cp Checkpoint) {
						if len(cp.LastKey) == 1 {
							var k int64
							fmt.Sscan(cp.LastKey[0], &k)
							select {
							case copied <- k:
							default:
							}
						}
					}})
				done <- err
			}()
			var behind, ahead []int64 // deleted after / before the copy passed them
			r := rand.New(rand.NewSource(7))
		loop:
			for {
				select {
				case err := <-done:
					if err != nil {
						t.Fatalf("copy: %v", err)
					}
					break loop
				case k := <-copied:
					if k >= rows {
						continue
					}
					// one row the copy has written, one it has not reached
					b := 1 + r.Int63n(k)
					a := k + 1 + r.Int63n(rows-k)
					for _, id := range []int64{b, a} {
						res, err := src.SQL().Exec("DELETE FROM items WHERE id = ?", id)
						if err != nil {
							t.Fatal(err)
						}
						if n, _ := res.RowsAffected(); n == 1 {
							if id == b {
								behind = append(behind, id)
							} else {
								ahead = append(ahead, id)
							}
						}
					}
				}
			}
			present := func(ids []int64) int {
				n := 0
				for _, id := range ids {
					var c int
					dst.SQL().QueryRow(fmt.Sprintf("SELECT COUNT(*) FROM items WHERE id = %d", id)).Scan(&c)
					n += c
				}
				return n
			}
			if len(behind) == 0 || present(behind) != len(behind) {
				t.Fatalf("the race did not happen: %d rows deleted behind the copy, %d of them on the target", len(behind), present(behind))
			}
			res, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained})
			if err != nil || !res.Drained {
				t.Fatalf("drain: %+v, %v", res, err)
			}
			if res.Deleted < int64(len(behind)) || res.Applied != int64(len(behind)+len(ahead)) {
				t.Errorf("catch-up applied %d log rows and deleted %d keys; %d deleted behind, %d ahead", res.Applied, res.Deleted, len(behind), len(ahead))
			}
			if n := present(behind) + present(ahead); n != 0 {
				t.Errorf("%d deleted rows are back on the target", n)
			}
			verifyNoDiffs(t, src, dst, "items")
		})
	}
}
