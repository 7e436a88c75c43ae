package engine

import (
	"context"
	"testing"
)

// A delete that cascades on the source (MySQL logs no trigger for the
// cascaded rows) reaches the target's children and grandchildren, though
// catch-up writes with foreign-key checks off.
func TestCatchupFollowsCascades(t *testing.T) {
	src, dst := openMySQLT(t), openMySQLT(t)
	execT(t, src, "CREATE TABLE parent (id INT PRIMARY KEY, v INT)",
		"CREATE TABLE child (id INT PRIMARY KEY, parent_id INT NOT NULL, CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE)",
		"CREATE TABLE grandchild (a INT, b INT, child_id INT NULL, PRIMARY KEY (a, b), CONSTRAINT fk_child FOREIGN KEY (child_id) REFERENCES child (id) ON DELETE SET NULL)",
		"INSERT INTO parent VALUES (1, 1), (2, 2)", "INSERT INTO child VALUES (1, 1), (2, 2), (3, 2)",
		"INSERT INTO grandchild VALUES (1, 1, 1), (1, 2, 2), (2, 1, 3)")
	copyT(t, src, dst, CopyOptions{Tables: []string{"parent", "child", "grandchild"}, Create: true})
	installT(t, src, []string{"parent", "child", "grandchild"})
	execT(t, src, "DELETE FROM parent WHERE id = 2") // the log holds this one row
	drainT(t, src, dst)
	for _, table := range []string{"parent", "child", "grandchild"} {
		verifyNoDiffs(t, src, dst, table)
	}
}

// The same across engines, to a PostgreSQL target whose schema was made
// by hand with the foreign key: the children set to NULL on the source are
// set to NULL on the target.
func TestCatchupFollowsCascadesToPostgres(t *testing.T) {
	src, dst := openMySQLT(t), openPostgresT(t)
	execT(t, src, "CREATE TABLE parent (id INT PRIMARY KEY)",
		"CREATE TABLE child (id INT PRIMARY KEY, parent_id INT NULL, CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE SET NULL)",
		"INSERT INTO parent VALUES (1), (2)", "INSERT INTO child VALUES (1, 1), (2, 2), (3, 2)")
	execT(t, dst, "CREATE TABLE parent (id integer PRIMARY KEY)",
		"CREATE TABLE child (id integer PRIMARY KEY, parent_id integer NULL REFERENCES parent (id) ON DELETE SET NULL)")
	copyT(t, src, dst, CopyOptions{Tables: []string{"parent", "child"}})
	installT(t, src, []string{"parent", "child"})
	execT(t, src, "DELETE FROM parent WHERE id = 2")
	drainT(t, src, dst)
	verifyNoDiffs(t, src, dst, "parent")
	verifyNoDiffs(t, src, dst, "child")
}

// Cascades the log cannot show by a missing key: a parent deleted and
// inserted again (REPLACE), and a parent key updated with ON UPDATE
// CASCADE into a child keyed by it. They are found from the source's
// foreign keys, so a target created on another engine, which has none,
// follows them too.
func TestCatchupFollowsReinsertsAndKeyUpdates(t *testing.T) {
	targets := map[string]func(t *testing.T) *DB{
		"mysql":    func(t *testing.T) *DB { return openMySQLT(t) },
		"sqlite":   func(t *testing.T) *DB { return openSQLiteT(t, "cascade.db") },
		"postgres": func(t *testing.T) *DB { return openPostgresT(t) },
	}
	for name, open := range targets {
		t.Run(name, func(t *testing.T) {
			src, dst := openMySQLT(t), open(t)
			execT(t, src, "CREATE TABLE orders (id INT PRIMARY KEY, v INT)",
				"CREATE TABLE olines (order_id INT NOT NULL, n INT NOT NULL, PRIMARY KEY (order_id, n), CONSTRAINT fk_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE ON UPDATE CASCADE)",
				"INSERT INTO orders VALUES (1, 1), (2, 2), (3, 3)",
				"INSERT INTO olines VALUES (1, 1), (1, 2), (2, 1), (3, 1), (3, 2)")
			tables := []string{"orders", "olines"}
			copyT(t, src, dst, CopyOptions{Tables: tables, Create: true})
			installT(t, src, tables)
			execT(t, src, "REPLACE INTO orders VALUES (1, 10)", // its lines are gone, the order is back
				"UPDATE orders SET id = 5 WHERE id = 3") // its lines are now (5, 1), (5, 2)
			drainT(t, src, dst)
			verifyNoDiffs(t, src, dst, "orders")
			verifyNoDiffs(t, src, dst, "olines")
		})
	}
}

// Parent keys swapped with ON UPDATE CASCADE: every child references a
// logged key on both sides, but another one; each is read again.
func TestCatchupFollowsSwappedParentKeys(t *testing.T) {
	src, dst := openMySQLT(t), openSQLiteT(t, "swap.db")
	execT(t, src, "CREATE TABLE parent (id INT PRIMARY KEY, v INT)",
		"CREATE TABLE child (id INT PRIMARY KEY, parent_id INT NOT NULL, CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON UPDATE CASCADE)",
		"INSERT INTO parent VALUES (1, 1), (2, 2)", "INSERT INTO child VALUES (1, 1), (2, 2), (3, 2)")
	copyT(t, src, dst, CopyOptions{Tables: []string{"parent", "child"}, Create: true})
	installT(t, src, []string{"parent", "child"})
	execT(t, src, "UPDATE parent SET id = 3 WHERE id = 1", "UPDATE parent SET id = 1 WHERE id = 2", "UPDATE parent SET id = 2 WHERE id = 3")
	drainT(t, src, dst)
	verifyNoDiffs(t, src, dst, "parent")
	verifyNoDiffs(t, src, dst, "child")
}

// A referencing table without a key cannot be read again row by row: it is
// left out of the follow-up, and the catch-up of its parent goes on.
func TestCatchupSkipsKeylessChildren(t *testing.T) {
	src, dst := openMySQLT(t), openMySQLT(t)
	for _, d := range []*DB{src, dst} {
		execT(t, d, "CREATE TABLE parent (id INT PRIMARY KEY, v INT)",
			"CREATE TABLE tagmap (pid INT NOT NULL, tag VARCHAR(10), CONSTRAINT fk_p FOREIGN KEY (pid) REFERENCES parent (id) ON DELETE CASCADE)")
	}
	execT(t, src, "INSERT INTO parent VALUES (1, 1)", "INSERT INTO tagmap VALUES (1, 'a')")
	execT(t, dst, "INSERT INTO parent VALUES (1, 1)", "INSERT INTO tagmap VALUES (1, 'a')")
	installT(t, src, []string{"parent"})
	execT(t, src, "UPDATE parent SET v = 2 WHERE id = 1")
	drainT(t, src, dst)
	verifyNoDiffs(t, src, dst, "parent")
}

// A parent updated in place keeps its children: they are counted on both
// sides, not read again, so a busy parent does not drag its children
// through every batch. A parent whose children moved is followed.
func TestCatchupCountsChildrenFirst(t *testing.T) {
	ctx := context.Background()
	src, dst := openMySQLT(t), openPostgresT(t)
	execT(t, src, "CREATE TABLE parent (id INT PRIMARY KEY, v INT)",
		"CREATE TABLE child (id INT PRIMARY KEY, parent_id INT NULL, CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE SET NULL)",
		"INSERT INTO parent VALUES (1, 1), (2, 2)",
		"INSERT INTO child SELECT seq, 1 + seq % 2 FROM seq_1_to_50")
	copyT(t, src, dst, CopyOptions{Tables: []string{"parent", "child"}, Create: true})
	installT(t, src, []string{"parent", "child"})
	followed := 0
	opts := CatchupOptions{LogTable: "change_log", Until: UntilDrained, followed: func(string, int) { followed++ }}
	execT(t, src, "UPDATE parent SET v = 10 WHERE id = 1")
	res, err := Catchup(ctx, src, dst, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Upserted != 1 || followed != 0 {
		t.Errorf("one parent updated in place: %d rows written, children read %d times; want 1 and 0", res.Upserted, followed)
	}
	execT(t, src, "DELETE FROM parent WHERE id = 2", "INSERT INTO parent VALUES (2, 20)") // 25 children set to NULL
	if _, err := Catchup(ctx, src, dst, opts); err != nil {
		t.Fatal(err)
	}
	if followed == 0 {
		t.Errorf("the children of a parent deleted and inserted again were not read")
	}
	verifyNoDiffs(t, src, dst, "child")
}

// installT installs the change-log triggers of tables on src.
func installT(t *testing.T, src *DB, tables []string) {
	t.Helper()
	if _, err := InstallTriggers(context.Background(), src, "change_log", tables); err != nil {
		t.Fatal(err)
	}
}

// drainT runs a catch-up of change_log from src to dst until it is drained.
func drainT(t *testing.T, src, dst *DB) {
	t.Helper()
	if _, err := Catchup(context.Background(), src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained}); err != nil {
		t.Fatal(err)
	}
}

// A row the write deletes because another row took its unique value has
// its referencing rows followed too: here it was deleted on the source by
// a cascade (no trigger, no log row), and its child was set to NULL.
func TestCatchupFollowsRowsClearedForMovedValues(t *testing.T) {
	src, dst := openMySQLT(t), openMySQLT(t)
	execT(t, src, "CREATE TABLE parent (id INT PRIMARY KEY)",
		"CREATE TABLE child (id INT PRIMARY KEY, pid INT NOT NULL, code VARCHAR(10) NOT NULL, v INT, UNIQUE KEY uq_code (code), CONSTRAINT fk_p FOREIGN KEY (pid) REFERENCES parent (id) ON DELETE CASCADE)",
		"CREATE TABLE gchild (id INT PRIMARY KEY, cid INT NULL, CONSTRAINT fk_c FOREIGN KEY (cid) REFERENCES child (id) ON DELETE SET NULL)",
		"INSERT INTO parent VALUES (1), (2)", "INSERT INTO child VALUES (118, 1, 'x', 0), (5, 2, 'y', 0)",
		"INSERT INTO gchild VALUES (100, 118)")
	tables := []string{"parent", "child", "gchild"}
	copyT(t, src, dst, CopyOptions{Tables: tables, Create: true})
	installT(t, src, tables)
	execT(t, src, "UPDATE child SET v = 1 WHERE id = 5", "DELETE FROM parent WHERE id = 1", "UPDATE child SET code = 'x' WHERE id = 5")
	if _, err := Catchup(context.Background(), src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained, Batch: 1}); err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		verifyNoDiffs(t, src, dst, table)
	}
}

// A referencing table that is neither named nor logged is not part of the
// migration: it is not followed, whatever shape it has on the target.
func TestCatchupLeavesUnloggedChildren(t *testing.T) {
	src, dst := openMySQLT(t), openMySQLT(t)
	execT(t, src, "CREATE TABLE parent (id INT PRIMARY KEY, v INT)",
		"CREATE TABLE child (id INT PRIMARY KEY, pid INT NOT NULL, extra INT, CONSTRAINT fk_p FOREIGN KEY (pid) REFERENCES parent (id) ON DELETE CASCADE)",
		"INSERT INTO parent VALUES (1, 1), (2, 2)", "INSERT INTO child VALUES (1, 1, 0), (2, 2, 0)")
	copyT(t, src, dst, CopyOptions{Tables: []string{"parent"}, Create: true})
	execT(t, dst, "CREATE TABLE child (id INT PRIMARY KEY, pid INT NOT NULL)", "INSERT INTO child VALUES (2, 2)")
	installT(t, src, []string{"parent"})
	execT(t, src, "UPDATE parent SET v = 10 WHERE id = 1", "DELETE FROM parent WHERE id = 2")
	drainT(t, src, dst)
	verifyNoDiffs(t, src, dst, "parent")
	if n := countT(t, dst, "child"); n != 1 {
		t.Errorf("the target's own child table holds %d rows, want its 1 untouched", n)
	}
}

// A PostgreSQL source's triggers see the rows a cascade changes, so its log
// holds them: no follow-up runs (it would count the children of every
// logged parent in every batch), and the target still follows the source.
func TestCatchupPostgresSourceLogsCascades(t *testing.T) {
	src, dst := openPostgresT(t), openPostgresT(t)
	execT(t, src, "CREATE TABLE parent (id integer PRIMARY KEY, v integer)",
		"CREATE TABLE child (id integer PRIMARY KEY, pid integer REFERENCES parent (id) ON DELETE SET NULL)",
		"INSERT INTO parent VALUES (1, 1), (2, 2)", "INSERT INTO child VALUES (1, 1), (2, 2), (3, 2)")
	tables := []string{"parent", "child"}
	copyT(t, src, dst, CopyOptions{Tables: tables, Create: true})
	installT(t, src, tables)
	execT(t, src, "UPDATE parent SET v = 10 WHERE id = 1", "DELETE FROM parent WHERE id = 2")
	followed := 0
	opts := CatchupOptions{LogTable: "change_log", Until: UntilDrained, followed: func(string, int) { followed++ }}
	if _, err := Catchup(context.Background(), src, dst, opts); err != nil {
		t.Fatal(err)
	}
	if followed != 0 {
		t.Errorf("children read %d times for a source whose log holds the cascaded rows", followed)
	}
	verifyNoDiffs(t, src, dst, "parent")
	verifyNoDiffs(t, src, dst, "child")
}
