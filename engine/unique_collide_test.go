package engine

import (
	"context"
	"strings"
	"testing"
)

// A unique key that compares more loosely on the target than on the
// source (case-insensitive there) takes two source values for one. The
// row holding the other is not cleared as if its value had moved: the
// source still has it as it is, and nothing would have brought it back.
// Catch-up and repair stop, naming it, and the row stays.
func TestClearingRefusesLooserTargetCollation(t *testing.T) {
	for _, engine := range []string{"catch-up", "repair"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			src, dst := openMySQLT(t), openMySQLT(t)
			execT(t, src, "CREATE TABLE ue (id INT PRIMARY KEY, email VARCHAR(20) COLLATE utf8mb4_bin NOT NULL, UNIQUE KEY (email))",
				"INSERT INTO ue VALUES (1, 'X@y')")
			execT(t, dst, "CREATE TABLE ue (id INT PRIMARY KEY, email VARCHAR(20) COLLATE utf8mb4_general_ci NOT NULL, UNIQUE KEY (email))")
			copyT(t, src, dst, CopyOptions{Tables: []string{"ue"}})
			var err error
			switch engine {
			case "catch-up":
				installT(t, src, []string{"ue"})
				execT(t, src, "INSERT INTO ue VALUES (2, 'x@y')")
				_, err = Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained})
			case "repair":
				execT(t, src, "INSERT INTO ue VALUES (2, 'x@y')")
				_, err = Verify(ctx, src, dst, VerifyOptions{Tables: []string{"ue"}, Repair: true})
			}
			if err == nil || !strings.Contains(err.Error(), "row id=1 holds email on the source too") {
				t.Fatalf("%s over a looser target collation: %v, want row id=1 named", engine, err)
			}
			var email string
			if err := dst.SQL().QueryRow("SELECT email FROM ue WHERE id = 1").Scan(&email); err != nil || email != "X@y" {
				t.Fatalf("row id=1 on the target: %q, %v; want it kept", email, err)
			}
		})
	}
}

// A unique key the target has and the source lacks, with two source rows
// holding one value in different chunks: the copy stops, naming the first
// row, and keeps it (the row was cleared as if its value had moved, and the
// copy passed with it gone). Catch-up and repair clear through the same
// check.
func TestClearingRefusesUniqueTheSourceLacks(t *testing.T) {
	for _, engine := range []string{MySQL, SQLite, Postgres} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			src := openMySQLT(t)
			dst := openTargetT(t, engine)
			create := "CREATE TABLE acct (id integer PRIMARY KEY, email varchar(40) NOT NULL UNIQUE, v integer)"
			execT(t, src, "CREATE TABLE acct (id INT PRIMARY KEY, email VARCHAR(40) NOT NULL, v INT)",
				"INSERT INTO acct SELECT seq, CONCAT('u', seq, '@x'), seq FROM seq_1_to_200",
				"UPDATE acct SET email = 'dup@x' WHERE id IN (7, 150)")
			execT(t, dst, create)
			_, err := Copy(ctx, src, dst, CopyOptions{Tables: []string{"acct"}, MaxChunkRows: 50, chunked: true, Writers: 1})
			if err == nil || !strings.Contains(err.Error(), "row id=7 holds email on the source too") {
				t.Fatalf("copy onto a unique key the source lacks: %v, want row id=7 named", err)
			}
			var n int
			if err := dst.SQL().QueryRow("SELECT COUNT(*) FROM acct WHERE id = 7").Scan(&n); err != nil || n != 1 {
				t.Fatalf("row id=7 on the target: %d (%v), want it kept", n, err)
			}
		})
	}
}

// The same for unique values whose text differs between the engines: each
// held value is looked up on the source as its own type, and one that
// cannot be (a boolean's "true" for a TINYINT) counts as still held. A
// PostgreSQL boolean was looked up as the text 'true', found nowhere, and
// its row cleared.
func TestClearingRefusesAcrossTypes(t *testing.T) {
	for _, c := range []struct{ name, srcType, engine, dstType, v string }{
		{"bool", "TINYINT(1)", Postgres, "boolean", "1"},
		{"date", "DATE", Postgres, "date", "'2024-01-02'"},
		{"decimal", "DECIMAL(10,2)", Postgres, "numeric(10,2)", "1.50"},
		{"bytes", "VARBINARY(16)", SQLite, "blob", "X'00FF10'"},
		{"datetime", "DATETIME", SQLite, "text", "'2024-01-02 03:04:05'"},
	} {
		t.Run(c.name, func(t *testing.T) {
			src, dst := openMySQLT(t), openTargetT(t, c.engine)
			execT(t, src, "CREATE TABLE acct (id INT PRIMARY KEY, u "+c.srcType+" NULL, v INT)",
				"INSERT INTO acct SELECT seq, NULL, seq FROM seq_1_to_200", "UPDATE acct SET u = "+c.v+" WHERE id IN (7, 150)")
			execT(t, dst, "CREATE TABLE acct (id integer PRIMARY KEY, u "+c.dstType+" UNIQUE, v integer)")
			_, err := Copy(context.Background(), src, dst, CopyOptions{Tables: []string{"acct"}, MaxChunkRows: 50, chunked: true, Writers: 1})
			var n int
			if e := dst.SQL().QueryRow("SELECT COUNT(*) FROM acct WHERE id = 7").Scan(&n); e != nil {
				t.Fatal(e)
			}
			if n != 1 || err == nil || !strings.Contains(err.Error(), "row id=7 holds u on the source too") {
				t.Fatalf("copy onto a unique %s the source lacks: %v; row id=7 on the target %d times, want it kept and named", c.dstType, err, n)
			}
		})
	}
}
