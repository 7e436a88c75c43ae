package engine

import (
	"context"
	"errors"
	"testing"
)

// An empty SQLite target takes a whole SQLite table in one transaction, its
// deferred index included, with the values exactly as stored.
func TestTransferCopiesWholeTableAtOnce(t *testing.T) {
	const n = 500
	src, dst := openSQLiteT(t, "src"), openSQLiteT(t, "dst")
	seedOrders(t, src, n)
	execT(t, src, "CREATE INDEX o_merchant ON o (merchant)")
	res := copyT(t, src, dst, CopyOptions{Tables: []string{"o"}, Create: true, MaxChunkRows: 50})
	if tr := res.Tables[0]; tr.Chunks != 1 || tr.Total != n {
		t.Fatalf("copied %d rows in %d chunks, want %d in 1", tr.Total, tr.Chunks, n)
	}
	ts, a := readAll(t, src, "o")
	td, b := readAll(t, dst, "o")
	sameRows(t, "transferred copy", ts, a, td, b, true)
	var idx int
	if err := dst.SQL().QueryRow("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'o_merchant'").Scan(&idx); err != nil || idx != 1 {
		t.Fatalf("index o_merchant on the target: %d, %v", idx, err)
	}
	if again := copyT(t, src, dst, CopyOptions{Tables: []string{"o"}}); !again.Tables[0].Skipped {
		t.Fatalf("rerun of a finished transfer: %+v, want skipped", again.Tables[0])
	}
}

// A copy stopped during the one transaction leaves the target empty, and
// the rerun copies every row once.
func TestTransferStoppedStartsClean(t *testing.T) {
	const n = 300
	src, dst := openSQLiteT(t, "src"), openSQLiteT(t, "dst")
	seedOrders(t, src, n)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := Copy(ctx, src, dst, CopyOptions{Tables: []string{"o"}, Create: true, Progress: func(p Progress) {
		if p.Note == "copying in one transaction" {
			if p.Total != n {
				t.Errorf("total shown before the transfer: %d, want %d", p.Total, n)
			}
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("stopped copy: %v, want canceled", err)
	}
	if got := countT(t, dst, "o"); got != 0 {
		t.Fatalf("target holds %d rows after the stop, want 0", got)
	}
	res := copyT(t, src, dst, CopyOptions{Tables: []string{"o"}, Create: true})
	if tr := res.Tables[0]; tr.Total != n || tr.Resumed {
		t.Fatalf("rerun: %+v, want %d rows from the start", tr, n)
	}
	if got := countT(t, dst, "o"); got != n {
		t.Fatalf("target holds %d rows, want %d", got, n)
	}
}

// A table with a generated column is not copied by position: it goes chunk
// by chunk, and the target computes the column itself.
func TestTransferLeavesGeneratedColumnsToChunks(t *testing.T) {
	src, dst := openSQLiteT(t, "src"), openSQLiteT(t, "dst")
	execT(t, src, "CREATE TABLE g (id INTEGER PRIMARY KEY, a INT NOT NULL, twice INT GENERATED ALWAYS AS (a * 2) VIRTUAL, b TEXT)",
		"INSERT INTO g (id, a, b) VALUES (1, 10, 'x'), (2, 20, NULL), (3, 30, 'z')")
	res := copyT(t, src, dst, CopyOptions{Tables: []string{"g"}, Create: true})
	if tr := res.Tables[0]; tr.Total != 3 {
		t.Fatalf("copied %d rows, want 3", tr.Total)
	}
	var sum int
	if err := dst.SQL().QueryRow("SELECT SUM(twice) FROM g").Scan(&sum); err != nil || sum != 120 {
		t.Fatalf("generated column on the target: sum %d, %v", sum, err)
	}
}
