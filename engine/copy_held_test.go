package engine

import "testing"

// A copy that begins on a target already holding rows says so: rows the
// source lacks stay there, and only verify finds them. An empty target, a
// finished copy run again and a slice by filter say nothing of the kind.
func TestCopyNotesRowsTheTargetHeld(t *testing.T) {
	src, dst := openMySQLT(t), openSQLiteT(t, "dst")
	execT(t, src, "CREATE TABLE items (id INT PRIMARY KEY, sku VARCHAR(20))", "INSERT INTO items VALUES (1, 'a'), (2, 'b')")
	execT(t, dst, "CREATE TABLE items (id INT PRIMARY KEY, sku VARCHAR(20))")
	if res := copyT(t, src, dst, CopyOptions{Tables: []string{"items"}, Job: "first"}); res.Tables[0].Note != "" {
		t.Errorf("copy into an empty table notes %q", res.Tables[0].Note)
	}
	if res := copyT(t, src, dst, CopyOptions{Tables: []string{"items"}, Job: "first"}); res.Tables[0].Note == heldRowsNote {
		t.Errorf("a finished copy run again notes %q", res.Tables[0].Note)
	}
	if res := copyT(t, src, dst, CopyOptions{Tables: []string{"items"}, Job: "slice", Where: "id = 2"}); res.Tables[0].Note != "" {
		t.Errorf("a slice copied by filter notes %q", res.Tables[0].Note)
	}
	execT(t, dst, "INSERT INTO items VALUES (7, 'stale')")
	res := copyT(t, src, dst, CopyOptions{Tables: []string{"items"}, Job: "second"})
	if got := res.Tables[0].Note; got != heldRowsNote {
		t.Errorf("copy over a table holding rows notes %q, want %q", got, heldRowsNote)
	}
	if n := countT(t, dst, "items"); n != 3 {
		t.Errorf("the target holds %d rows, want the 2 copied and the 1 it held", n)
	}
}
