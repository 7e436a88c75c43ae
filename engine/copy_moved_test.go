package engine

import (
	"context"
	"strings"
	"sync"
	"testing"
)

// A unique value that moves on a live source, from a row copied already to
// one not copied yet, no longer stops the copy for good (every rerun met
// the stale row again): the stale row is cleared, the copy goes on, and
// the catch-up after it writes that row again, so the target ends equal.
func TestCopyClearsValuesMovedOnALiveSource(t *testing.T) {
	for _, engine := range []string{MySQL, SQLite, Postgres} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			src := openMySQLT(t)
			dst := openTargetT(t, engine)
			create := "" // a MySQL target is created by the copy
			if engine != MySQL {
				create = "CREATE TABLE acct (id integer PRIMARY KEY, email varchar(40) NOT NULL UNIQUE, v integer)"
			}
			execT(t, src, "CREATE TABLE acct (id INT PRIMARY KEY, email VARCHAR(40) NOT NULL, v INT, UNIQUE KEY (email))")
			for i := 1; i <= 400; i += 100 {
				execT(t, src, "INSERT INTO acct SELECT seq, CONCAT('u', seq, '@x'), seq FROM seq_"+itoa(i)+"_to_"+itoa(i+99))
			}
			if create != "" {
				execT(t, dst, create)
			}
			installT(t, src, []string{"acct"})
			var once sync.Once
			var notes []string
			var mu sync.Mutex
			res, err := Copy(ctx, src, dst, CopyOptions{Tables: []string{"acct"}, Create: create == "", MaxChunkRows: 50, chunked: true, Writers: 1,
				OnCheckpoint: func(c Checkpoint) {
					once.Do(func() { // row 7 (copied) gives up its email; row 300 (not yet) takes it
						execT(t, src, "UPDATE acct SET email = 'gone@x' WHERE id = 7", "UPDATE acct SET email = 'u7@x' WHERE id = 300")
					})
				},
				Progress: func(p Progress) {
					mu.Lock()
					notes = append(notes, p.Note)
					mu.Unlock()
				}})
			if err != nil {
				t.Fatalf("copy over a moved unique value: %v", err)
			}
			if !strings.Contains(strings.Join(notes, "\n"), "unique values moved on the source") {
				t.Errorf("copy %+v said nothing of the row it cleared: %q", res.Tables, notes)
			}
			if _, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained}); err != nil {
				t.Fatal(err)
			}
			verifyNoDiffs(t, src, dst, "acct")
		})
	}
}

// A table created on another engine gets its unique indexes after the rows,
// so a value that moved during a live copy meets its old row only then: the
// index cannot be built. The copy says what to do, and doing it (catch-up,
// then the copy again) ends with the index and the rows as on the source.
func TestCopyDeferredUniqueAfterAMove(t *testing.T) {
	ctx := context.Background()
	src, dst := openMySQLT(t), openSQLiteT(t, "dst")
	execT(t, src, "CREATE TABLE acct (id INT PRIMARY KEY, email VARCHAR(40) NOT NULL, v INT, UNIQUE KEY (email))",
		"INSERT INTO acct SELECT seq, CONCAT('u', seq, '@x'), seq FROM seq_1_to_400")
	installT(t, src, []string{"acct"})
	var once sync.Once
	opts := CopyOptions{Tables: []string{"acct"}, Create: true, MaxChunkRows: 50, chunked: true, Writers: 1}
	first := opts
	first.OnCheckpoint = func(Checkpoint) {
		once.Do(func() {
			execT(t, src, "UPDATE acct SET email = 'gone@x' WHERE id = 7", "UPDATE acct SET email = 'u7@x' WHERE id = 300")
		})
	}
	_, err := Copy(ctx, src, dst, first)
	if err == nil || !strings.Contains(err.Error(), "run the catch-up, or verify --repair, then the copy again") {
		t.Fatalf("copy whose unique index meets a moved value: %v, want what to do said", err)
	}
	if _, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained}); err != nil {
		t.Fatal(err)
	}
	copyT(t, src, dst, opts)
	verifyNoDiffs(t, src, dst, "acct")
	if _, err := dst.SQL().Exec("INSERT INTO acct VALUES (999, 'u1@x', 0)"); err == nil {
		t.Fatal("the target's unique index was not added: a duplicate email went in")
	}
}

// Two rows of one chunk that a target's unique key takes for one leave
// nothing on the target to clear: the copy says so by the duplicate, not by
// a note that it cleared rows (it said it had, clearing none).
func TestCopyNotesOnlyRowsItCleared(t *testing.T) {
	src, dst := openMySQLT(t), openMySQLT(t)
	execT(t, src, "CREATE TABLE acct (id INT PRIMARY KEY, email VARCHAR(40) NOT NULL)",
		"INSERT INTO acct SELECT seq, CONCAT('u', seq, '@x') FROM seq_1_to_300", "UPDATE acct SET email = 'dup@x' WHERE id IN (7, 250)")
	execT(t, dst, "CREATE TABLE acct (id INT PRIMARY KEY, email VARCHAR(40) NOT NULL, UNIQUE KEY (email))")
	var notes []string
	var mu sync.Mutex
	_, err := Copy(context.Background(), src, dst, CopyOptions{Tables: []string{"acct"}, Writers: 1,
		Progress: func(p Progress) {
			mu.Lock()
			notes = append(notes, p.Note)
			mu.Unlock()
		}})
	if err == nil || !strings.Contains(err.Error(), "row id=250: Duplicate entry 'dup@x'") {
		t.Fatalf("copy of two rows one unique key takes for one: %v, want row id=250 named", err)
	}
	if all := strings.Join(notes, "\n"); strings.Contains(all, "cleared") {
		t.Fatalf("the copy said it cleared rows, clearing none: %q", all)
	}
}
