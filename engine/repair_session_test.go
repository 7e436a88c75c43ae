package engine

import (
	"context"
	"strings"
	"testing"
)

// TestRepairWritesLikeCopy: a child table copied before its parents copies
// (foreign key checks off) and must repair the same way; the differences
// are handed over before anything is written, and the changes are recorded.
func TestRepairWritesLikeCopy(t *testing.T) {
	src := openClaimsMySQL(t)
	dst := openClaimsMySQL(t)
	for _, d := range []*DB{src, dst} {
		execT(t, d, "CREATE TABLE parent (id INT NOT NULL PRIMARY KEY)",
			"CREATE TABLE child (id INT NOT NULL PRIMARY KEY, parent_id INT NOT NULL, note VARCHAR(20), "+
				"FOREIGN KEY (parent_id) REFERENCES parent (id))")
	}
	execT(t, src, "INSERT INTO parent VALUES (1), (2), (3)",
		"INSERT INTO child VALUES (10, 1, 'a'), (20, 2, 'b'), (30, 3, 'c'), (40, 3, 'd')")
	copyT(t, src, dst, CopyOptions{Tables: []string{"child"}}) // parents not copied yet
	execT(t, dst, "SET SESSION foreign_key_checks = 0",
		"DELETE FROM child WHERE id = 20", "UPDATE child SET note = 'x' WHERE id = 30", "INSERT INTO child VALUES (50, 9, 'e')")

	var before []VerifyTable
	res, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{"child"}, Repair: true,
		BeforeRepair: func(v VerifyTable) {
			if n := countT(t, dst, "child"); n != 4 {
				t.Errorf("the target had %d rows when the differences were handed over, want 4 (nothing written yet)", n)
			}
			before = append(before, v)
		}})
	if err != nil {
		t.Fatalf("repair of a child table whose parents are not copied: %v", err)
	}
	if len(before) != 1 || len(before[0].Diffs) != 3 {
		t.Fatalf("differences before the repair: %+v, want the 3 of child", before)
	}
	if !res.Passed || res.Repaired != 3 || res.Remaining != 0 {
		t.Fatalf("after the repair: passed %v, repaired %d, remaining %d", res.Passed, res.Repaired, res.Remaining)
	}
	var got []string
	for _, r := range res.Repairs {
		got = append(got, r.Action+" "+strings.Join(r.Key, ","))
	}
	want := "inserted 20; updated 30; deleted 50"
	if strings.Join(got, "; ") != want {
		t.Errorf("repairs recorded: %q, want %q", strings.Join(got, "; "), want)
	}
}

// TestRepairErrorNamesTheRow: a source row the target cannot take fails
// the repair with the table and that row's key, not a position in a batch.
func TestRepairErrorNamesTheRow(t *testing.T) {
	src := openClaimsMySQL(t)
	dst := openClaimsMySQL(t)
	execT(t, src, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, note VARCHAR(20))",
		"INSERT INTO t VALUES (10, 'a'), (20, 'b'), (30, 'much too long'), (40, NULL)")
	// Same columns (the preflight passes them); a CHECK only the server knows refuses row 30.
	execT(t, dst, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, note VARCHAR(20) CHECK (CHAR_LENGTH(note) <= 3))", "INSERT INTO t VALUES (10, 'a')")
	var listed bool
	_, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{"t"}, Repair: true, RetryFor: 1,
		BeforeRepair: func(VerifyTable) { listed = true }})
	if err == nil || !strings.Contains(err.Error(), "verify t: repair "+dbName(t, dst)+".t: row id=30: ") || !strings.Contains(err.Error(), "CONSTRAINT") || strings.Contains(err.Error(), "at row") {
		t.Fatalf("want the repair's error to name row id=30, got %v", err)
	}
	if !listed {
		t.Error("the differences were not handed over before the failed repair")
	}
}
