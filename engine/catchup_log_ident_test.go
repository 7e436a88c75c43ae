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

// A change log made without an identity (by an older runway, or by hand),
// caught up, then dropped and installed again, now with one: the position
// records no identity, and resuming it would skip the new log's changes.
// The catch-up is refused; after what the error says, it drains.
func TestCatchupRefusesAPositionWithoutIdentity(t *testing.T) {
	ctx := context.Background()
	src, dst := openMySQLT(t), openSQLiteT(t, "dst")
	execT(t, src, "CREATE TABLE change_log"+mysqlSQL.changeLog) // as an older runway made it
	usersT(t, src, dst)
	execT(t, src, "INSERT INTO users VALUES (3, 'c')", "INSERT INTO users VALUES (4, 'd')", "INSERT INTO users VALUES (5, 'e')")
	opts := CatchupOptions{LogTable: "change_log", Until: UntilDrained}
	if _, err := Catchup(ctx, src, dst, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := Catchup(ctx, src, dst, opts); err != nil {
		t.Fatalf("the same log without an identity, run again: %v", err)
	}
	if _, err := RemoveTriggers(ctx, src, "change_log", []string{"users"}); err != nil {
		t.Fatal(err)
	}
	execT(t, src, "DROP TABLE change_log")
	installT(t, src, []string{"users"})
	execT(t, src, "UPDATE users SET name = 'a2' WHERE id = 1")
	_, err := Catchup(ctx, src, dst, opts)
	refusedWith(t, "catch-up of a log created again, with an identity", err, "belongs to another change log", "delete that row")
	execT(t, dst, "DELETE FROM "+CatchupTable+" WHERE job = 'change_log'")
	if _, err := Verify(ctx, src, dst, VerifyOptions{Tables: []string{"users"}, Repair: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := Catchup(ctx, src, dst, opts); err != nil {
		t.Fatalf("after what the error says: %v", err)
	}
	verifyNoDiffs(t, src, dst, "users")
}

// Two shards whose logs share a name, one of them made without an identity:
// whichever catches up second is refused, not only when both logs carry
// one.
func TestCatchupRefusesAnotherLogsPositionOneWithoutIdentity(t *testing.T) {
	for _, first := range []string{"with identity", "without"} {
		t.Run(first, func(t *testing.T) {
			ctx := context.Background()
			withID, plain, dst := openMySQLT(t), openMySQLT(t), openSQLiteT(t, "dst")
			execT(t, plain, "CREATE TABLE change_log"+mysqlSQL.changeLog)
			execT(t, withID, "CREATE TABLE items (id INT PRIMARY KEY, sku VARCHAR(20))", "INSERT INTO items VALUES (1, 'a')")
			execT(t, plain, "CREATE TABLE items (id INT PRIMARY KEY, sku VARCHAR(20))", "INSERT INTO items VALUES (100, 'x')")
			copyT(t, withID, dst, CopyOptions{Tables: []string{"items"}, Create: true})
			copyT(t, plain, dst, CopyOptions{Tables: []string{"items"}})
			installT(t, withID, []string{"items"})
			installT(t, plain, []string{"items"})
			execT(t, withID, "INSERT INTO items VALUES (2, 'b')", "INSERT INTO items VALUES (3, 'c')", "INSERT INTO items VALUES (4, 'd')")
			execT(t, plain, "INSERT INTO items VALUES (101, 'y')", "INSERT INTO items VALUES (102, 'y')", "INSERT INTO items VALUES (103, 'y')")
			one, two := withID, plain
			if first == "without" {
				one, two = plain, withID
			}
			opts := CatchupOptions{LogTable: "change_log", Until: UntilDrained}
			if _, err := Catchup(ctx, one, dst, opts); err != nil {
				t.Fatal(err)
			}
			_, err := Catchup(ctx, two, dst, opts)
			refusedWith(t, "the second shard's catch-up", err, "belongs to another change log named change_log")
		})
	}
}

// A change log emptied by TRUNCATE keeps its identity, but MySQL starts its
// ids over: resuming the position would skip every change up to the id it
// had read. The catch-up is refused; after what the error says, it drains.
func TestCatchupRefusesAPositionPastTheLogsEnd(t *testing.T) {
	ctx := context.Background()
	src, dst := openMySQLT(t), openSQLiteT(t, "dst")
	usersT(t, src, dst)
	execT(t, src, "INSERT INTO users VALUES (3, 'c')", "INSERT INTO users VALUES (4, 'd')", "INSERT INTO users VALUES (5, 'e')")
	opts := CatchupOptions{LogTable: "change_log", Until: UntilDrained}
	if _, err := Catchup(ctx, src, dst, opts); err != nil {
		t.Fatal(err)
	}
	execT(t, src, "TRUNCATE TABLE change_log", "UPDATE users SET name = 'a2' WHERE id = 1")
	_, err := Catchup(ctx, src, dst, opts)
	refusedWith(t, "catch-up of a log emptied by TRUNCATE", err, "has read change log change_log up to id 3, and the log's highest id is 1",
		"its ids started over", "delete that row", "a replica still behind the one the position read")
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
