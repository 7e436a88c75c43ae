package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// PostgreSQL to PostgreSQL, the rows of a fresh target are streamed as
// COPY text, chunk by chunk with a checkpoint each, and arrive exactly as
// the batched path writes them.
func TestPostgresStreamedCopy(t *testing.T) {
	src := openPostgresT(t)
	execT(t, src, everyPostgresType...)
	seedOrders(t, src, 2000)
	for _, table := range []string{"Every Type", "o"} {
		ts, orig := readAll(t, src, table)
		streamed, batched := openPostgresT(t), openPostgresT(t)
		res := copyT(t, src, streamed, CopyOptions{Tables: []string{table}, Create: true, MaxChunkRows: 300})
		copyT(t, src, batched, CopyOptions{Tables: []string{table}, Create: true, MaxChunkRows: 300, batched: true})
		tr := res.Tables[0]
		if !tr.Streamed || tr.Total != int64(len(orig)) {
			t.Fatalf("%s: %+v", table, tr)
		}
		if table == "o" && tr.Chunks < 2 {
			t.Errorf("2,000 rows in %d chunk(s) of at most 300", tr.Chunks)
		}
		tsd, got := readAll(t, streamed, table)
		sameRows(t, table+" streamed", ts, orig, tsd, got, true)
		tbd, want := readAll(t, batched, table)
		sameRows(t, table+" streamed vs batched", tbd, want, tsd, got, true)
	}
}

// A target column of another type reads the source's text its own way:
// such a table goes through batches.
func TestPostgresStreamNeedsSameTypes(t *testing.T) {
	src, dst := openPostgresT(t), openPostgresT(t)
	seedOrders(t, src, 100)
	execT(t, dst, "CREATE TABLE o (id BIGINT NOT NULL PRIMARY KEY, merchant INT NOT NULL, amount NUMERIC(12,2), note TEXT, payload BYTEA)")
	res := copyT(t, src, dst, CopyOptions{Tables: []string{"o"}})
	if res.Tables[0].Streamed || res.Tables[0].Total != 100 {
		t.Fatalf("%+v", res.Tables[0])
	}
	ts, a := readAll(t, src, "o")
	td, b := readAll(t, dst, "o")
	sameRows(t, "batched", ts, a, td, b, false)
}

// A row the target refuses in a streamed chunk is named by its key, as
// in a batched one.
func TestPostgresStreamedRowRefused(t *testing.T) {
	src, dst := openPostgresT(t), openPostgresT(t)
	seedOrders(t, src, 1000)
	execT(t, dst, "CREATE TABLE o (id BIGINT NOT NULL PRIMARY KEY CHECK (id <> 777), merchant INT NOT NULL, amount NUMERIC(12,2), note VARCHAR(64), payload BYTEA)")
	res, err := Copy(context.Background(), src, dst, CopyOptions{Tables: []string{"o"}, MaxChunkRows: 300})
	if err == nil || !strings.Contains(err.Error(), "id=777") {
		t.Fatalf("err = %v, want the row id=777 named", err)
	}
	if tr := res.Tables[0]; !tr.Streamed || tr.Total < 300 || tr.Total >= 777 {
		t.Fatalf("%+v: want the chunks before the row's streamed and kept", tr)
	}
}

// The connections of a streamed copy terminated mid-copy, on both sides:
// the chunks are streamed again and every row arrives exactly once (the
// target's key refuses a second copy of one).
func TestPostgresStreamedKilled(t *testing.T) {
	const n = 20000
	src, dst, admin := openPostgresT(t), openPostgresT(t), openPostgresT(t)
	seedOrders(t, src, n)
	var srcDB, dstDB string
	src.SQL().QueryRow("SELECT current_database()").Scan(&srcDB)
	dst.SQL().QueryRow("SELECT current_database()").Scan(&dstDB)
	killed, chunks := 0, 0
	res := copyT(t, src, dst, CopyOptions{Tables: []string{"o"}, Create: true, MaxChunkRows: 500,
		OnCheckpoint: func(Checkpoint) {
			if chunks++; chunks == 3 || chunks == 9 || chunks == 15 {
				var k int
				if err := admin.SQL().QueryRow(`SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
					WHERE datname IN ($1, $2) AND pid <> pg_backend_pid()) x`, srcDB, dstDB).Scan(&k); err != nil {
					t.Error(err)
				}
				killed += k
			}
		}})
	tr := res.Tables[0]
	if killed == 0 || tr.Retries == 0 || !tr.Streamed {
		t.Fatalf("%d connections killed: %+v", killed, tr)
	}
	if got := countT(t, dst, "o"); got != n || tr.Total != n {
		t.Fatalf("target holds %d rows (result %d), want %d", got, tr.Total, n)
	}
	ts, a := readAll(t, src, "o")
	td, b := readAll(t, dst, "o")
	sameRows(t, "after kills", ts, a, td, b, true)
}

// A streamed chunk whose commit landed although the connection said
// otherwise is not streamed again (it would meet its own keys).
func TestPostgresStreamedAmbiguousCommit(t *testing.T) {
	src, dst := openPostgresT(t), openPostgresT(t)
	seedOrders(t, src, 2000)
	failed := 0
	hook := func(seq int64) error {
		if seq%3 == 0 && failed < 3 {
			failed++
			return errors.New("broken pipe") // as if the connection broke after COMMIT
		}
		return nil
	}
	res := copyT(t, src, dst, CopyOptions{Tables: []string{"o"}, Create: true, MaxChunkRows: 200, commitHook: hook})
	if tr := res.Tables[0]; failed == 0 || !tr.Streamed || tr.Total != 2000 || countT(t, dst, "o") != 2000 {
		t.Fatalf("hook fired %d times: %+v", failed, tr)
	}
}

// The refused row is found beyond the first batch's worth of a streamed
// chunk: the chunk is read back a batch at a time.
func TestPostgresStreamedRowRefusedFarIn(t *testing.T) {
	src, dst := openPostgresT(t), openPostgresT(t)
	execT(t, src, "CREATE TABLE big (id int PRIMARY KEY, p bytea)",
		"INSERT INTO big SELECT g, convert_to(repeat(md5(g::text), 6250), 'UTF8') FROM generate_series(1, 100) g") // 200 KB a row
	execT(t, dst, "CREATE TABLE big (id int PRIMARY KEY CHECK (id <> 90), p bytea)")
	res, err := Copy(context.Background(), src, dst, CopyOptions{Tables: []string{"big"}})
	if err == nil || !strings.Contains(err.Error(), "id=90") {
		t.Fatalf("err = %v, want the row id=90 named", err)
	}
	if tr := res.Tables[0]; !tr.Streamed || tr.Total != 0 {
		t.Fatalf("%+v", tr)
	}
}
