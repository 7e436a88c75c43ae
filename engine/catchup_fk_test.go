package engine

import (
	"context"
	"fmt"
	"testing"
)

// Catch-up replays changes grouped by table, not in the source's order: a
// child row can arrive before its parent, a parent's delete before its
// children's. It writes as copy does, foreign-key checks off, so the
// order never fails a batch; the end state satisfies the keys, as the
// source's does.
func TestCatchupOrderAcrossForeignKeys(t *testing.T) {
	ctx := context.Background()
	src, dst := openMySQLT(t), openMySQLT(t)
	execT(t, src, "CREATE TABLE parent (id INT PRIMARY KEY, v INT)",
		"CREATE TABLE child (id INT PRIMARY KEY, parent_id INT NOT NULL, CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id))",
		"INSERT INTO parent VALUES (1, 1), (2, 2)", "INSERT INTO child VALUES (1, 1), (2, 2)")
	copyT(t, src, dst, CopyOptions{Tables: []string{"parent", "child"}, Create: true})
	installT(t, src, []string{"parent", "child"})
	for i := 10; i < 40; i++ {
		execT(t, src, fmt.Sprintf("INSERT INTO parent VALUES (%d, %d)", i, i), fmt.Sprintf("INSERT INTO child VALUES (%d, %d)", i, i))
	}
	execT(t, src, "DELETE FROM child WHERE parent_id = 2", "DELETE FROM parent WHERE id = 2")
	for round := 0; round < 5; round++ { // the tables' order in a batch is a map's
		if _, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained, Job: fmt.Sprint("fk", round)}); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
	verifyNoDiffs(t, src, dst, "parent")
	verifyNoDiffs(t, src, dst, "child")
}
