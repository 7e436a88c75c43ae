package engine

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// TestUpserterReadyBeforeTransaction prepares the upsert before a
// transaction on a pool of one connection. Prepared inside the transaction
// it would need a second connection, as it would while the transaction holds
// a lock that a waiting ALTER TABLE blocks everyone else on.
func TestUpserterReadyBeforeTransaction(t *testing.T) {
	ctx := context.Background()
	d := openMySQLT(t)
	execT(t, d, `CREATE TABLE r (id BIGINT PRIMARY KEY, v VARCHAR(20))`)
	tb, err := d.Table(ctx, "r")
	if err != nil {
		t.Fatal(err)
	}
	d.SQL().SetMaxOpenConns(1)

	up := d.NewUpserter(ctx, tb, []string{"id", "v"}, []string{"id"})
	defer up.Close()
	b := NewBatch(2)
	for i := 1; i <= up.PreparedRows+7; i++ {
		b.Add(Value{Kind: KindInt, B: fmt.Appendf(nil, "%d", i)})
		b.Add(Value{Kind: KindText, B: []byte("x")})
	}
	if err := up.Ready(ctx, b); err != nil {
		t.Fatal(err)
	}
	tx, err := d.SQL().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM r WHERE id = 0"); err != nil {
		t.Fatal(err)
	}
	// A generous bound: the failure this guards against waits forever.
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := up.Write(wctx, tx, b); err != nil {
		t.Fatalf("write in a transaction on a one-connection pool: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := countT(t, d, "r"); n != int64(b.Len()) {
		t.Fatalf("%d rows written, want %d", n, b.Len())
	}
}
