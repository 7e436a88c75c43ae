package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestCopyNumbersIntoTextColumns copies SQLite integers into MySQL ENUM, SET,
// VARCHAR and JSON columns. A number sent as a number would pick the ENUM
// member at that position and the SET members of that bitmask; sent as its
// digits in a string it stores the member spelled that way. 1,234 rows go
// through prepared runs and, for the rest, SQL text.
func TestCopyNumbersIntoTextColumns(t *testing.T) {
	src := openSQLiteT(t, "src.db")
	execT(t, src, `CREATE TABLE n (id INTEGER PRIMARY KEY, e INTEGER, s INTEGER, v INTEGER, j JSON)`)
	var sb strings.Builder
	sb.WriteString("INSERT INTO n VALUES ")
	const rows = 1234
	for i := 1; i <= rows; i++ {
		if i > 1 {
			sb.WriteString(",")
		}
		// j: SQLite's JSON column has numeric affinity, so '7' is stored as 7
		fmt.Fprintf(&sb, "(%d, %d, %d, %d, '%d')", i, 1+i%2, 1+i%2, i, i%10)
	}
	execT(t, src, sb.String())

	dst := openMySQLT(t)
	execT(t, dst, `CREATE TABLE n (id BIGINT PRIMARY KEY, e ENUM('x','y','1','2'), s SET('a','b','1','2'),
		v VARCHAR(20), j JSON) DEFAULT CHARSET=utf8mb4`)
	copyT(t, src, dst, CopyOptions{Tables: []string{"n"}})

	got := textColumn(t, dst, "SELECT CONCAT_WS('|', id, e, s, v, j) FROM n ORDER BY id")
	if len(got) != rows {
		t.Fatalf("%d rows on the target, want %d", len(got), rows)
	}
	res, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{"n"}})
	if err != nil || res.DiffCount != 0 {
		t.Errorf("verify after the copy: %d differences %v, err %v", res.DiffCount, res.Diffs[:min(3, len(res.Diffs))], err)
	}
	bad := 0
	for i, line := range got {
		id := i + 1
		want := fmt.Sprintf("%d|%d|%d|%d|%d", id, 1+id%2, 1+id%2, id, id%10)
		if line != want && bad < 5 {
			t.Errorf("row %d: target holds %q, want %q", id, line, want)
			bad++
		}
	}
}
