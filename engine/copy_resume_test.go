package engine

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"sync"
	"testing"
	"time"
)

// seedOrders fills table o with n rows keyed 1..n.
func seedOrders(t testing.TB, d *DB, n int) {
	t.Helper()
	if d.Driver() == Postgres {
		execT(t, d, "CREATE TABLE o (id BIGINT NOT NULL PRIMARY KEY, merchant INT NOT NULL, amount NUMERIC(12,2), note VARCHAR(64), payload BYTEA)",
			fmt.Sprintf("INSERT INTO o SELECT g, g %% 10, g / 7.0, 'note ' || g, CASE WHEN g %% 3 = 0 THEN NULL ELSE decode(md5(g::text), 'hex') END FROM generate_series(1, %d) g", n))
		return
	}
	if d.Driver() == MySQL {
		execT(t, d, "CREATE TABLE o (id BIGINT NOT NULL PRIMARY KEY, merchant INT NOT NULL, amount DECIMAL(12,2), note VARCHAR(64), payload BLOB)",
			fmt.Sprintf("INSERT INTO o SELECT seq, seq %% 10, seq / 7, CONCAT('note ', seq), IF(seq %% 3 = 0, NULL, UNHEX(SHA1(seq))) FROM seq_1_to_%d", n))
		return
	}
	execT(t, d, "CREATE TABLE o (id INTEGER PRIMARY KEY, merchant INT NOT NULL, amount DECIMAL(12,2), note VARCHAR(64), payload BLOB)",
		fmt.Sprintf("WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < %d) INSERT INTO o SELECT n, n %% 10, n / 7.0, 'note ' || n, CASE WHEN n %% 3 = 0 THEN NULL ELSE randomblob(20) END FROM c", n))
}

// updateCounter makes the target count every update of an existing row of
// o: an upsert of a row already copied is exactly such an update.
func updateCounter(t testing.TB, d *DB) {
	t.Helper()
	// amount as text (MySQL) or untyped (SQLite) keeps each engine's
	// spelling of the source value, so that rows compare across engines
	amount := "TEXT"
	if d.Driver() == SQLite {
		amount = ""
	}
	if d.Driver() == Postgres {
		// ENABLE ALWAYS: the trigger fires for runway's writer too, whose
		// session_replication_role = replica keeps ordinary ones quiet
		execT(t, d, "CREATE TABLE o (id BIGINT NOT NULL PRIMARY KEY, merchant INT NOT NULL, amount TEXT, note VARCHAR(64), payload BYTEA)",
			"CREATE TABLE rewrites (n INT NOT NULL)", "INSERT INTO rewrites VALUES (0)",
			"CREATE FUNCTION o_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN UPDATE rewrites SET n = n + 1; RETURN NEW; END$$",
			"CREATE TRIGGER o_rewrite BEFORE UPDATE ON o FOR EACH ROW EXECUTE FUNCTION o_rewrite()",
			"ALTER TABLE o ENABLE ALWAYS TRIGGER o_rewrite")
		return
	}
	execT(t, d, "CREATE TABLE o (id BIGINT NOT NULL PRIMARY KEY, merchant INT NOT NULL, amount "+amount+", note VARCHAR(64), payload BLOB)",
		"CREATE TABLE rewrites (n INT NOT NULL)", "INSERT INTO rewrites VALUES (0)")
	if d.Driver() == MySQL {
		execT(t, d, "CREATE TRIGGER o_rewrite BEFORE UPDATE ON o FOR EACH ROW UPDATE rewrites SET n = n + 1")
	} else {
		execT(t, d, "CREATE TRIGGER o_rewrite BEFORE UPDATE ON o BEGIN UPDATE rewrites SET n = n + 1; END")
	}
}

func rewrites(t testing.TB, d *DB) int {
	var n int
	if err := d.SQL().QueryRow("SELECT n FROM rewrites").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestResumeAfterCancel cancels copies at random points, reruns them until
// done, and checks that every row arrived exactly once, the checkpoint only
// moved forward, and no committed chunk was written again.
func TestResumeAfterCancel(t *testing.T) {
	const n = 3000
	cases := []struct {
		name     string
		src, dst func(t *testing.T) *DB
		generic  bool
		chunked  bool // SQLite→SQLite: chunks even into an empty target
	}{
		{"mysql-mysql", func(t *testing.T) *DB { return openMySQLT(t) }, func(t *testing.T) *DB { return openMySQLT(t) }, false, false},
		{"mysql-sqlite", func(t *testing.T) *DB { return openMySQLT(t) }, func(t *testing.T) *DB { return openSQLiteT(t, "dst") }, false, false},
		{"sqlite-mysql", func(t *testing.T) *DB { return openSQLiteT(t, "src") }, func(t *testing.T) *DB { return openMySQLT(t) }, false, false},
		{"sqlite-sqlite", func(t *testing.T) *DB { return openSQLiteT(t, "src") }, func(t *testing.T) *DB { return openSQLiteT(t, "dst") }, false, false},
		{"sqlite-sqlite-chunks", func(t *testing.T) *DB { return openSQLiteT(t, "src") }, func(t *testing.T) *DB { return openSQLiteT(t, "dst") }, false, true},
		{"sqlite-sqlite-generic", func(t *testing.T) *DB { return openSQLiteT(t, "src") }, func(t *testing.T) *DB { return openSQLiteT(t, "dst") }, true, false},
		{"mysql-postgres", func(t *testing.T) *DB { return openMySQLT(t) }, func(t *testing.T) *DB { return openPostgresT(t) }, false, false},
		{"postgres-postgres", func(t *testing.T) *DB { return openPostgresT(t) }, func(t *testing.T) *DB { return openPostgresT(t) }, false, false},
		{"postgres-mysql", func(t *testing.T) *DB { return openPostgresT(t) }, func(t *testing.T) *DB { return openMySQLT(t) }, false, false},
		{"sqlite-postgres", func(t *testing.T) *DB { return openSQLiteT(t, "src") }, func(t *testing.T) *DB { return openPostgresT(t) }, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src, dst := tc.src(t), tc.dst(t)
			seedOrders(t, src, n)
			updateCounter(t, dst)
			rng := rand.New(rand.NewSource(time.Now().UnixNano()))
			var lastRows int64
			runs, cancels := 0, 0
			for ; runs < 40; runs++ {
				// The last run is never cancelled: on a loaded machine every
				// earlier one may have been cancelled before its first chunk.
				last := runs == 39
				ctx, cancel := context.WithCancel(context.Background())
				stopAfter := 1 + rng.Intn(6) // checkpoints before a cancel
				if last {
					stopAfter = -1
				}
				var mu sync.Mutex
				seen := 0
				opts := CopyOptions{Tables: []string{"o"}, AllowTargetTriggers: true, MaxChunkRows: 40 + rng.Intn(60), Writers: 1 + rng.Intn(3), generic: tc.generic, chunked: tc.chunked,
					OnCheckpoint: func(c Checkpoint) {
						mu.Lock()
						defer mu.Unlock()
						if c.Rows < lastRows {
							t.Errorf("checkpoint went back: %d after %d", c.Rows, lastRows)
						}
						if !c.Done && c.Rows == lastRows {
							t.Errorf("checkpoint did not advance: %d", c.Rows)
						}
						lastRows = c.Rows
						seen++
						if seen == stopAfter {
							cancel()
						}
					}}
				if rng.Intn(2) == 0 && !last { // also cancel at a random moment, mid-chunk
					time.AfterFunc(time.Duration(rng.Intn(40))*time.Millisecond, cancel)
				}
				t0 := time.Now()
				res, err := Copy(ctx, src, dst, opts)
				cancel()
				if d := time.Since(t0); d > 2*time.Second {
					t.Logf("run %d took %v: %v", runs, d, err)
				}
				if err == nil {
					if res.Tables[0].Total != n {
						t.Fatalf("finished with %d rows, want %d", res.Tables[0].Total, n)
					}
					break
				}
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("run %d: %v", runs, err)
				}
				cancels++
			}
			if cancels < 2 {
				t.Logf("only %d cancels before the copy finished", cancels)
			}
			if got := countT(t, dst, "o"); got != n {
				t.Fatalf("target holds %d rows, want %d", got, n)
			}
			if r := rewrites(t, dst); r != 0 {
				t.Fatalf("%d rows were written twice", r)
			}
			if lastRows != n { // the rows of every committed chunk, summed over all runs
				t.Fatalf("chunks committed %d rows in all, want %d", lastRows, n)
			}
			ts, a := readAll(t, src, "o")
			td, b := readAll(t, dst, "o")
			sameRows(t, "resumed copy", ts, a, td, b, false)
			// a finished job is skipped on rerun
			res := copyT(t, src, dst, CopyOptions{Tables: []string{"o"}, AllowTargetTriggers: true})
			if !res.Tables[0].Skipped {
				t.Fatalf("rerun of a finished copy: %+v", res.Tables[0])
			}
			t.Logf("%d runs, %d cancelled", runs+1, cancels)
		})
	}
}

// TestAmbiguousCommitNotRecopied: a commit that reports an error after it
// landed is recognised from the checkpoint and not written again, on each
// server kind, with the error its driver gives for a broken connection.
func TestAmbiguousCommitNotRecopied(t *testing.T) {
	for _, tc := range []struct {
		name   string
		open   func(*testing.T) *DB
		broken string
	}{
		{"mysql", func(t *testing.T) *DB { return openMySQLT(t) }, "invalid connection"},
		{"postgres", func(t *testing.T) *DB { return openPostgresT(t) }, "broken pipe"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := openSQLiteT(t, "src")
			seedOrders(t, src, 500)
			dst := tc.open(t)
			updateCounter(t, dst)
			failed := 0
			hook := func(seq int64) error {
				if seq%3 == 0 && failed < 4 {
					failed++
					return errors.New(tc.broken) // as if the connection broke after COMMIT
				}
				return nil
			}
			res := copyT(t, src, dst, CopyOptions{Tables: []string{"o"}, AllowTargetTriggers: true, MaxChunkRows: 50, commitHook: hook})
			if failed == 0 {
				t.Fatal("hook never fired")
			}
			if res.Tables[0].Rows != 500 || countT(t, dst, "o") != 500 {
				t.Fatalf("%+v", res.Tables[0])
			}
			if r := rewrites(t, dst); r != 0 {
				t.Fatalf("%d rows rewritten after an ambiguous commit", r)
			}
		})
	}
}

// TestKilledConnectionsRetried kills the copy's connections on both servers
// in the middle of the copy; the chunks are retried and the result is exact.
func TestKilledConnectionsRetried(t *testing.T) {
	const n = 20000
	src, dst := openMySQLT(t), openMySQLT(t)
	seedOrders(t, src, n)
	updateCounter(t, dst)
	admin := openMySQLT(t) // a third database: its connection is never killed
	var srcDB, dstDB string
	src.SQL().QueryRow("SELECT DATABASE()").Scan(&srcDB)
	dst.SQL().QueryRow("SELECT DATABASE()").Scan(&dstDB)
	killed := 0
	kill := func() {
		rows, err := admin.SQL().Query("SELECT ID FROM information_schema.PROCESSLIST WHERE DB IN (?, ?) AND ID <> CONNECTION_ID()", srcDB, dstDB)
		if err != nil {
			t.Error(err)
			return
		}
		var ids []int64
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			ids = append(ids, id)
		}
		rows.Close()
		for _, id := range ids {
			if _, err := admin.SQL().Exec(fmt.Sprintf("KILL %d", id)); err == nil {
				killed++
			}
		}
	}
	chunks := 0
	var notes []string
	var mu sync.Mutex
	res := copyT(t, src, dst, CopyOptions{Tables: []string{"o"}, AllowTargetTriggers: true, MaxChunkRows: 500,
		OnCheckpoint: func(c Checkpoint) {
			chunks++
			if chunks == 3 || chunks == 9 || chunks == 15 {
				kill()
			}
		},
		Progress: func(p Progress) {
			mu.Lock()
			if p.Note != "" {
				notes = append(notes, p.Note)
			}
			mu.Unlock()
		}})
	if killed == 0 {
		t.Fatal("no connection was killed")
	}
	if res.Tables[0].Retries == 0 {
		t.Fatalf("no retry after %d kills: %+v", killed, res.Tables[0])
	}
	if got := countT(t, dst, "o"); got != n || res.Tables[0].Total != n {
		t.Fatalf("target holds %d rows (result %d), want %d", got, res.Tables[0].Total, n)
	}
	if r := rewrites(t, dst); r != 0 {
		t.Fatalf("%d rows written twice", r)
	}
	ts, a := readAll(t, src, "o")
	td, b := readAll(t, dst, "o")
	sameRows(t, "after kills", ts, a, td, b, false)
	t.Logf("killed %d connections, %d retries; notes: %v", killed, res.Tables[0].Retries, notes)
}
