package engine

import (
	"context"
	"testing"
	"time"
)

// TestCatchupParallelWriters drains a backlog of updates, deletes, inserts
// and key changes in batches large enough for several writer connections,
// each full batch read ahead while the one before it is written; the target
// ends equal to the source.
func TestCatchupParallelWriters(t *testing.T) {
	ctx := context.Background()
	src, dst := openMySQLT(t), openMySQLT(t)
	fillItems(t, src, 4000)
	copyT(t, src, dst, CopyOptions{Tables: []string{"items"}, Create: true})
	if _, err := InstallTriggers(ctx, src, "change_log", []string{"items"}); err != nil {
		t.Fatal(err)
	}
	execT(t, src,
		"UPDATE items SET v = v + 1, note = CONCAT('upd ', id) WHERE id % 3 = 0",
		"DELETE FROM items WHERE id % 7 = 0",
		"INSERT INTO items SELECT id + 10000, v, amount, 'new' FROM items WHERE id % 5 = 0",
		"UPDATE items SET id = id + 100000 WHERE id % 11 = 0 AND id < 10000",
		"UPDATE items SET amount = amount + 1 WHERE id % 3 = 0",
	)
	c, err := newCatchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained, Writers: 3, Batch: 700, Poll: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	res, err := c.run(ctx)
	if err != nil || !res.Drained {
		t.Fatalf("drain: %+v %v", res, err)
	}
	if n := len(c.tables["items"].ups); n != 3 {
		t.Errorf("%d writer connections wrote, want 3", n)
	}
	if c.aheadUsed == 0 || c.aheadUsed >= c.commits {
		t.Errorf("%d of %d batches were read ahead, want some but not the first", c.aheadUsed, c.commits)
	}
	if res.Deleted == 0 || res.Upserted == 0 {
		t.Errorf("nothing deleted or upserted: %+v", res)
	}
	verifyNoDiffs(t, src, dst, "items")
}

// TestSplitWrite: the stretches keep every row and deleted key once, in order.
func TestSplitWrite(t *testing.T) {
	b := NewBatch(2)
	for i := range 7 {
		b.Add(Value{Kind: KindInt, B: []byte{byte('0' + i)}})
		b.Add(Value{})
	}
	del := [][]Value{{{Kind: KindInt, B: []byte("a")}}, {{Kind: KindInt, B: []byte("b")}}}
	parts := splitWrite(tableWrite{b: b, del: del}, 3)
	var got string
	dels := 0
	for _, p := range parts {
		for r := 0; r < p.b.Len(); r++ {
			got += string(p.b.Value(r, 0).B)
			if p.b.Value(r, 1).Kind != KindNull {
				t.Errorf("a NULL became %v", p.b.Value(r, 1))
			}
		}
		dels += len(p.del)
	}
	if got != "0123456" || dels != 2 {
		t.Errorf("rows %q, %d deleted keys", got, dels)
	}
}
