package engine

import (
	"context"
	"strings"
	"testing"
)

// A unique value that moves between rows on the source (given up by one
// row, taken by another, swapped, freed by a delete) reaches the target
// exactly through catch-up, whatever order the batch writes the rows in.
// On MySQL the upsert used to update the stale row and drop the new one,
// and the catch-up still reported itself drained.
func TestCatchupUniqueValuesMove(t *testing.T) {
	targets := map[string]func(t *testing.T) *DB{
		"mysql":    func(t *testing.T) *DB { return openMySQLT(t) },
		"sqlite":   func(t *testing.T) *DB { return openSQLiteT(t, "moves.db") },
		"postgres": func(t *testing.T) *DB { return openPostgresT(t) },
	}
	for name, open := range targets {
		t.Run(name, func(t *testing.T) {
			src, dst := openMySQLT(t), open(t)
			execT(t, src, "CREATE TABLE u (id INT PRIMARY KEY, name VARCHAR(10) NOT NULL, nick VARCHAR(10) NULL, UNIQUE KEY uq_name (name), UNIQUE KEY uq_nick (nick))",
				"INSERT INTO u VALUES (5, 'x', NULL), (7, 'z', 'a'), (8, 'w', NULL), (9, 'v', 'b')")
			copyT(t, src, dst, CopyOptions{Tables: []string{"u"}, Create: true})
			installT(t, src, []string{"u"})
			execT(t, src,
				"UPDATE u SET name = 'y' WHERE id = 5", "INSERT INTO u VALUES (2, 'x', NULL)", // taken by a lower key
				"UPDATE u SET name = 'tmp' WHERE id = 7", "UPDATE u SET name = 'z' WHERE id = 8", "UPDATE u SET name = 'w' WHERE id = 7", // swapped
				"DELETE FROM u WHERE id = 9", "INSERT INTO u VALUES (20, 'v', 'b')") // freed by a delete
			drainT(t, src, dst)
			verifyNoDiffs(t, src, dst, "u")
		})
	}
}

// Repair writes the source's rows over a target whose unique values sit on
// other rows, as a catch-up stopped half-way leaves it.
func TestRepairUniqueValuesMove(t *testing.T) {
	src, dst := openMySQLT(t), openMySQLT(t)
	for _, d := range []*DB{src, dst} {
		execT(t, d, "CREATE TABLE u (id INT PRIMARY KEY, name VARCHAR(10) NOT NULL, UNIQUE KEY uq_name (name))")
	}
	execT(t, src, "INSERT INTO u VALUES (2, 'x'), (5, 'y'), (7, 'w'), (8, 'z')")
	execT(t, dst, "INSERT INTO u VALUES (5, 'x'), (7, 'z'), (8, 'w')")
	res, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{"u"}, Repair: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.DiffCount != 4 {
		t.Errorf("%d differences before the repair, want 4 (%v)", res.DiffCount, res.Diffs)
	}
	verifyNoDiffs(t, src, dst, "u")
}

// A unique key runway cannot compare in SQL, on a generated column, meets
// a moved value: MySQL's upsert updates the stale row instead of writing
// the new one, and the catch-up stops saying so rather than report itself
// drained without the row.
func TestCatchupStopsOnUncomparableUniqueMove(t *testing.T) {
	ctx := context.Background()
	src, dst := openMySQLT(t), openMySQLT(t)
	execT(t, src, "CREATE TABLE u (id INT PRIMARY KEY, email VARCHAR(20) NOT NULL, email_l VARCHAR(20) AS (LOWER(email)) STORED, UNIQUE KEY uq_l (email_l))",
		"INSERT INTO u (id, email) VALUES (5, 'A@x')")
	copyT(t, src, dst, CopyOptions{Tables: []string{"u"}, Create: true})
	installT(t, src, []string{"u"})
	execT(t, src, "UPDATE u SET email = 'b@x' WHERE id = 5", "INSERT INTO u (id, email) VALUES (1, 'a@x')")
	_, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained})
	if err == nil || !strings.Contains(err.Error(), "1 of 2 rows written to u") {
		t.Fatalf("catch-up: %v; want it stopped naming the row that did not land", err)
	}
}
