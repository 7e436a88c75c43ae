package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// Two source rows that a key or unique index of the target takes for one
// (a case-insensitive, pad-space collation there, not on the source) are
// refused, naming the row: MySQL's upsert had merged the second into the
// first, and the copy reported every row while the target held half.
func TestCopyRefusesRowsMergedOnTheTarget(t *testing.T) {
	for _, tc := range []struct{ table, create, want string }{
		{"k", "CREATE TABLE k (id varchar(20) PRIMARY KEY, v int) COLLATE utf8mb4_general_ci", "row id=a"},
		{"ue", "CREATE TABLE ue (id int PRIMARY KEY, email varchar(20) NOT NULL, v int, UNIQUE KEY (email)) COLLATE utf8mb4_general_ci", "row id=2"},
	} {
		t.Run(tc.table, func(t *testing.T) {
			src, dst := openPostgresT(t), openMySQLT(t)
			execT(t, src,
				"CREATE TABLE k (id varchar(20) COLLATE \"C\" PRIMARY KEY, v int)", // 'A' before 'a' on every server
				"INSERT INTO k VALUES ('A', 1), ('a', 2), ('b', 3)",
				"CREATE TABLE ue (id int PRIMARY KEY, email varchar(20) NOT NULL UNIQUE, v int)",
				"INSERT INTO ue VALUES (1, 'X@y', 1), (2, 'x@y', 2), (3, 'z', 3)")
			execT(t, dst, tc.create)
			res, err := Copy(context.Background(), src, dst, CopyOptions{Tables: []string{tc.table}})
			if err == nil {
				t.Fatalf("copy passed (%+v) with the target holding %d of 3 rows", res.Tables, countT(t, dst, tc.table))
			}
			if msg := err.Error(); !strings.Contains(msg, tc.table) || !strings.Contains(msg, tc.want) || !strings.Contains(msg, "Duplicate entry") {
				t.Fatalf("copy failed with %q, want the table, the row %s and the duplicate named", msg, tc.want)
			}
		})
	}
}

// A copy resumed after an interruption writes the rest of the table as a
// fresh one when the target holds just the rows it copied, so a row the
// target takes for one copied before the interruption is refused there too,
// not merged into it by an upsert. The second set of keys sorts the copied
// 'Z' past the checkpoint's 'a' on the case-insensitive target: judged by
// key range there, the resume was not fresh and merged 'z' into 'Z'.
func TestResumedCopyRefusesRowsMergedOnTheTarget(t *testing.T) {
	for _, keys := range [][]string{{"A", "B", "a", "c"}, {"Z", "a", "z"}} {
		t.Run(strings.Join(keys, ","), func(t *testing.T) {
			src, dst := openPostgresT(t), openMySQLT(t)
			execT(t, src, "CREATE TABLE k (id varchar(20) COLLATE \"C\" PRIMARY KEY, v int)")
			for i, k := range keys {
				execT(t, src, "INSERT INTO k VALUES ('"+k+"', "+itoa(i)+")")
			}
			execT(t, dst, "CREATE TABLE k (id varchar(20) PRIMARY KEY, v int) COLLATE utf8mb4_general_ci")
			ctx, cancel := context.WithCancel(context.Background())
			opts := CopyOptions{Tables: []string{"k"}, MaxChunkRows: 1, chunked: true, Writers: 1}
			first := opts
			first.OnCheckpoint = func(c Checkpoint) {
				if c.Rows >= 2 {
					cancel()
				}
			}
			if _, err := Copy(ctx, src, dst, first); !errors.Is(err, context.Canceled) {
				t.Fatalf("first run: %v", err)
			}
			res, err := Copy(context.Background(), src, dst, opts)
			if err == nil {
				t.Fatalf("resumed copy passed (%+v) with the target holding %d of %d rows", res.Tables, countT(t, dst, "k"), len(keys))
			}
			if !strings.Contains(err.Error(), "Duplicate entry") {
				t.Fatalf("resumed copy failed with %q, want the duplicate named", err)
			}
		})
	}
}
