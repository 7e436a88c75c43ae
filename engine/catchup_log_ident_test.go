package engine

import (
	"context"
	"testing"
)

// Two shards whose change logs share a name, caught up into one target:
// the second's catch-up would resume the first's position and skip its
// changes below it. It is refused, naming the way on; with a log of its
// own, it drains and the target holds both shards' changes.
func TestCatchupRefusesAnotherLogsPosition(t *testing.T) {
	for _, kind := range []string{"mysql", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			shard1, shard2, dst := guardSource(t, kind), guardSource(t, kind), openSQLiteT(t, "dst")
			execT(t, shard1, "CREATE TABLE items (id INT PRIMARY KEY, sku VARCHAR(20))", "INSERT INTO items VALUES (1, 'a')")
			execT(t, shard2, "CREATE TABLE items (id INT PRIMARY KEY, sku VARCHAR(20))", "INSERT INTO items VALUES (100, 'x')")
			copyT(t, shard1, dst, CopyOptions{Tables: []string{"items"}, Create: true})
			copyT(t, shard2, dst, CopyOptions{Tables: []string{"items"}})
			installT(t, shard1, []string{"items"})
			installT(t, shard2, []string{"items"})
			execT(t, shard1, "INSERT INTO items VALUES (2, 'b')", "INSERT INTO items VALUES (3, 'c')", "INSERT INTO items VALUES (4, 'd')")
			execT(t, shard2, "INSERT INTO items VALUES (101, 'y')")
			opts := CatchupOptions{LogTable: "change_log", Until: UntilDrained}
			if _, err := Catchup(ctx, shard1, dst, opts); err != nil {
				t.Fatal(err)
			}
			_, err := Catchup(ctx, shard2, dst, opts)
			refusedWith(t, "the second shard's catch-up", err, "belongs to another change log named change_log",
				"give each source's change log a name of its own")
			if n := countT(t, dst, "items"); n != 5 {
				t.Errorf("the refused catch-up wrote: the target holds %d items, want 5", n)
			}
			if _, err := RemoveTriggers(ctx, shard2, "change_log", []string{"items"}); err != nil {
				t.Fatal(err)
			}
			if _, err := InstallTriggers(ctx, shard2, "change_log_2", []string{"items"}); err != nil {
				t.Fatal(err)
			}
			execT(t, shard2, "INSERT INTO items VALUES (102, 'z')")
			if _, err := Verify(ctx, shard2, dst, VerifyOptions{Tables: []string{"items"}, Where: "id >= 100", Repair: true}); err != nil {
				t.Fatal(err)
			}
			if _, err := Catchup(ctx, shard2, dst, CatchupOptions{LogTable: "change_log_2", Until: UntilDrained}); err != nil {
				t.Fatalf("with a log of its own: %v", err)
			}
			if n := countT(t, dst, "items"); n != 7 {
				t.Errorf("the target holds %d items, want both shards' 7", n)
			}
		})
	}
}

// A change log dropped and created again starts its ids over: resuming the
// old position would skip them. The catch-up is refused; after what the
// error says, it drains.
func TestCatchupRefusesALogCreatedAgain(t *testing.T) {
	ctx := context.Background()
	src, dst := openMySQLT(t), openSQLiteT(t, "dst")
	usersT(t, src, dst)
	execT(t, src, "INSERT INTO users VALUES (3, 'c')", "INSERT INTO users VALUES (4, 'd')", "INSERT INTO users VALUES (5, 'e')")
	opts := CatchupOptions{LogTable: "change_log", Until: UntilDrained}
	if _, err := Catchup(ctx, src, dst, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := RemoveTriggers(ctx, src, "change_log", []string{"users"}); err != nil {
		t.Fatal(err)
	}
	execT(t, src, "DROP TABLE change_log")
	installT(t, src, []string{"users"})
	execT(t, src, "UPDATE users SET name = 'a2' WHERE id = 1")
	_, err := Catchup(ctx, src, dst, opts)
	refusedWith(t, "catch-up of a log created again", err, "belongs to another change log", "delete that row")
	execT(t, dst, "DELETE FROM "+CatchupTable+" WHERE job = 'change_log'")
	if _, err := Verify(ctx, src, dst, VerifyOptions{Tables: []string{"users"}, Repair: true}); err != nil {
		t.Fatal(err)
	}
	execT(t, src, "UPDATE users SET name = 'b2' WHERE id = 2")
	if _, err := Catchup(ctx, src, dst, opts); err != nil {
		t.Fatalf("after what the error says: %v", err)
	}
	verifyNoDiffs(t, src, dst, "users")
}
