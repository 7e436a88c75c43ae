package engine

import (
	"context"
	"testing"
)

// A table copied in waves by filter, truncated on the source between two
// waves: the first wave's rows stay on the target, and the second wave
// began on the source's new storage. The catch-up stops, as for a
// TRUNCATE after the copy, rather than drain over the rows the source lost.
func TestCatchupSeesTruncateBetweenCopyWaves(t *testing.T) {
	ctx := context.Background()
	src, dst := openMySQLT(t), openSQLiteT(t, "dst")
	execT(t, src, "CREATE TABLE items (id INT PRIMARY KEY, sku VARCHAR(20))", "INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')")
	installT(t, src, []string{"items"})
	copyT(t, src, dst, CopyOptions{Tables: []string{"items"}, Create: true, Where: "id <= 2"})
	execT(t, src, "TRUNCATE TABLE items", "INSERT INTO items VALUES (3, 'c'), (4, 'd')")
	copyT(t, src, dst, CopyOptions{Tables: []string{"items"}, Where: "id > 2"})
	_, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained})
	refusedWith(t, "catch-up after a TRUNCATE between waves", err, "items on the source was truncated or rebuilt")
}

// Waves without a TRUNCATE between them, and a wave begun again from
// scratch over the rows it had written, are caught up without a stop.
func TestCatchupAfterCopyWaves(t *testing.T) {
	ctx := context.Background()
	src, dst := openMySQLT(t), openSQLiteT(t, "dst")
	execT(t, src, "CREATE TABLE items (id INT PRIMARY KEY, sku VARCHAR(20))", "INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')")
	installT(t, src, []string{"items"})
	copyT(t, src, dst, CopyOptions{Tables: []string{"items"}, Create: true, Where: "id <= 2"})
	execT(t, src, "UPDATE items SET sku = 'a2' WHERE id = 1")
	copyT(t, src, dst, CopyOptions{Tables: []string{"items"}, Where: "id > 2"})
	execT(t, dst, "DELETE FROM "+CheckpointTable)
	copyT(t, src, dst, CopyOptions{Tables: []string{"items"}, Where: "id > 2"})
	if _, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained}); err != nil {
		t.Fatal(err)
	}
	verifyNoDiffs(t, src, dst, "items")
}
