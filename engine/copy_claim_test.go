package engine

import (
	"strconv"
	"strings"
	"testing"
)

// TestCopyRerunChecksTheCheckpoint: a finished copy run again checks the
// tables before it says "already copied": rows gone from the target are
// copied again, rows the live source gained since (or lost) are named as
// catch-up's, and the counts are the table's, MySQL and SQLite targets.
func TestCopyRerunChecksTheCheckpoint(t *testing.T) {
	for _, target := range []string{"mysql", "sqlite"} {
		t.Run(target, func(t *testing.T) {
			src := openClaimsMySQL(t)
			dst := openSQLiteT(t, "claim")
			if target == "mysql" {
				dst = openClaimsMySQL(t)
			}
			execT(t, src, "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, amount DECIMAL(10,2) NOT NULL)")
			var vals []string
			for i := 1; i <= 1000; i++ {
				vals = append(vals, "("+strconv.Itoa(i)+", "+strconv.Itoa(i)+".50)")
			}
			execT(t, src, "INSERT INTO orders VALUES "+strings.Join(vals, ","))
			opts := CopyOptions{Tables: []string{"orders"}, Create: true, MaxChunkRows: 300}
			copyT(t, src, dst, opts)

			execT(t, dst, "DELETE FROM orders WHERE id BETWEEN 500 AND 509")
			r := copyT(t, src, dst, opts).Tables[0]
			if r.Skipped || r.Rows != 1000 || countT(t, dst, "orders") != 1000 {
				t.Fatalf("rerun after 10 target rows vanished: skipped %v, %d rows copied, target holds %d", r.Skipped, r.Rows, countT(t, dst, "orders"))
			}
			want := "checkpoint says 1,000 rows copied up to id 1000, the source holds 1,000 (min 1, max 1000) there and the target 990 (min 1, max 1000): copying again"
			if !strings.Contains(r.Note, want) {
				t.Errorf("note %q\nwant %q", r.Note, want)
			}
			verifyAll(t, src, dst, "orders")

			execT(t, src, "INSERT INTO orders VALUES (1001, 1), (1002, 2)", "DELETE FROM orders WHERE id = 7")
			r = copyT(t, src, dst, opts).Tables[0]
			if !r.Skipped || r.Total != 1000 {
				t.Fatalf("rerun over a complete target: skipped %v, total %d (want the table's 1,000)", r.Skipped, r.Total)
			}
			for _, want := range []string{"the source has 2 rows after 1000, added since the copy: catch-up",
				"the target holds 1 row more than the source up to id 1000"} {
				if !strings.Contains(r.Note, want) {
					t.Errorf("note %q\nwant %q", r.Note, want)
				}
			}
		})
	}
}

// TestCopyRerunFilterTheTargetCannotRun: a pilot slice's filter written in
// the source's SQL may not run on the target; the rerun then says the
// checkpoint could not be checked instead of failing.
func TestCopyRerunFilterTheTargetCannotRun(t *testing.T) {
	src := openClaimsMySQL(t)
	dst := openSQLiteT(t, "slice")
	execT(t, src, "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY)", "INSERT INTO orders VALUES (1), (2), (3), (4)")
	opts := CopyOptions{Tables: []string{"orders"}, Create: true, Where: "id MOD 2 = 0"}
	copyT(t, src, dst, opts)
	r := copyT(t, src, dst, opts).Tables[0]
	if !r.Skipped || !strings.Contains(r.Note, "the checkpoint's 2 rows could not be checked against the tables") {
		t.Fatalf("rerun of a slice whose filter SQLite cannot run: skipped %v, note %q", r.Skipped, r.Note)
	}
}
