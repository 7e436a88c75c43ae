package engine

import (
	"context"
	"errors"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// tablesOf lists the tables of d, sorted.
func tablesOf(t testing.TB, d *DB) []string {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
	if d.Driver() == MySQL {
		q = "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
	}
	out := textColumn(t, d, q)
	sort.Strings(out)
	return out
}

// refusedT runs err through the checks every refusal shares: it is a
// preflight refusal and its text holds each of want.
func refusedT(t testing.TB, what string, err error, want ...string) *PreflightError {
	t.Helper()
	var pe *PreflightError
	if !errors.As(err, &pe) {
		t.Fatalf("%s: got %v, want a refusal before any write", what, err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: the refusal does not say %q:\n%v", what, w, err)
		}
	}
	return pe
}

// Case 1: two MySQL tables whose names differ only in case cannot go to
// one SQLite file, where they would be one table. Both are named, and the
// target file is not even created.
func TestPreflightCaseCollision(t *testing.T) {
	ctx := context.Background()
	src := openMySQLT(t)
	execT(t, src, "CREATE TABLE Orders (id INT PRIMARY KEY, v VARCHAR(10))", "CREATE TABLE orders (id INT PRIMARY KEY, v VARCHAR(10))",
		"INSERT INTO Orders VALUES (1, 'upper')", "INSERT INTO orders VALUES (1, 'lower')")
	dst := openSQLiteT(t, "one")
	_, err := Copy(ctx, src, dst, CopyOptions{Tables: []string{"Orders", "orders"}, Create: true})
	refusedT(t, "case collision", err, "Orders and orders differ only in case", "SQLite table names ignore case")
	if _, statErr := os.Stat(dst.path); !errors.Is(statErr, os.ErrNotExist) {
		t.Errorf("the refused copy created %s (%v): %v", dst.path, statErr, tablesOf(t, dst))
	}
	// one of them alone is fine
	copyT(t, src, dst, CopyOptions{Tables: []string{"orders"}, Create: true})
	if n := countT(t, dst, "orders"); n != 1 {
		t.Errorf("orders alone: %d rows", n)
	}
}

// Case 4: a view is refused with a sentence, by copy and verify alike,
// before the base table listed with it is copied.
func TestPreflightView(t *testing.T) {
	ctx := context.Background()
	src := openMySQLT(t)
	execT(t, src, "CREATE TABLE orders (id INT PRIMARY KEY, v INT)", "INSERT INTO orders VALUES (1, 2)",
		"CREATE VIEW v_orders AS SELECT id, v FROM orders")
	var schema string
	if err := src.SQL().QueryRow("SELECT DATABASE()").Scan(&schema); err != nil {
		t.Fatal(err)
	}
	sentence := schema + ".v_orders is a view, not a base table: copy its base tables"
	for _, dst := range []*DB{openMySQLT(t), openSQLiteT(t, "dst")} {
		_, err := Copy(ctx, src, dst, CopyOptions{Tables: []string{"orders", "v_orders"}, Create: true})
		refusedT(t, "copy of a view", err, sentence)
		if strings.Contains(err.Error(), "destination arguments") {
			t.Errorf("the scan error leaks: %v", err)
		}
		if got := tablesOf(t, dst); len(got) != 0 {
			t.Errorf("%s: the refused copy wrote tables %v", dst.Driver(), got)
		}
		_, err = Verify(ctx, src, dst, VerifyOptions{Tables: []string{"v_orders"}})
		refusedT(t, "verify of a view", err, sentence)
	}
	if _, err := src.Table(ctx, "v_orders"); err == nil || !strings.Contains(err.Error(), "is a view, not a base table") {
		t.Errorf("describing a view: %v", err)
	}
}

// Case 6: triggers on the target are refused by name, with the statement
// that drops them, unless allowed; verify only reads and does not mind.
func TestPreflightTargetTriggers(t *testing.T) {
	ctx := context.Background()
	src := openMySQLT(t)
	execT(t, src, "CREATE TABLE items (id INT PRIMARY KEY, sku VARCHAR(10))", "INSERT INTO items VALUES (1, 'a'), (2, 'a')")
	for _, dst := range []*DB{openMySQLT(t), openSQLiteT(t, "dst")} {
		execT(t, dst, "CREATE TABLE items (id INT PRIMARY KEY, sku VARCHAR(10))", "CREATE TABLE audit (sku VARCHAR(10) PRIMARY KEY)")
		drop := "DROP TRIGGER `items_audit`;"
		if dst.Driver() == MySQL {
			execT(t, dst, "CREATE TRIGGER items_audit AFTER INSERT ON items FOR EACH ROW INSERT INTO audit VALUES (NEW.sku)")
		} else {
			execT(t, dst, "CREATE TRIGGER items_audit AFTER INSERT ON items BEGIN INSERT INTO audit VALUES (NEW.sku); END")
			drop = `DROP TRIGGER "items_audit";`
		}
		_, err := Copy(ctx, src, dst, CopyOptions{Tables: []string{"items"}})
		refusedT(t, dst.Driver()+" trigger", err, "trigger items_audit (AFTER INSERT) on the target table items", drop, "--allow-target-triggers")
		if n := countT(t, dst, "items"); n != 0 {
			t.Errorf("%s: %d rows written before the refusal", dst.Driver(), n)
		}
		if got := tablesOf(t, dst); !reflect.DeepEqual(got, []string{"audit", "items"}) {
			t.Errorf("%s: tables after the refusal: %v", dst.Driver(), got)
		}
		_, err = Verify(ctx, src, dst, VerifyOptions{Tables: []string{"items"}, Repair: true})
		refusedT(t, dst.Driver()+" repair with a trigger", err, "items_audit")
		if _, err := Verify(ctx, src, dst, VerifyOptions{Tables: []string{"items"}}); err != nil {
			t.Errorf("%s: verify without repair: %v", dst.Driver(), err)
		}
		// allowed, the trigger fires, and what it does is the user's
		execT(t, dst, "DROP TABLE audit", "CREATE TABLE audit (sku VARCHAR(10))")
		copyT(t, src, dst, CopyOptions{Tables: []string{"items"}, AllowTargetTriggers: true})
		if n := countT(t, dst, "audit"); n != 2 {
			t.Errorf("%s: the allowed trigger wrote %d rows, want 2", dst.Driver(), n)
		}
	}
}

// Case 7: a table list is trimmed and rid of repeats, and every table is
// checked before the first is copied: one bad table stops them all.
func TestPreflightTableList(t *testing.T) {
	if got := CleanTables([]string{"a, b", " b", "", "a,c ", "A"}); !reflect.DeepEqual(got, []string{"a", "b", "c", "A"}) {
		t.Errorf("CleanTables: %q", got)
	}
	ctx := context.Background()
	src := openMySQLT(t)
	execT(t, src, "CREATE TABLE a (id INT PRIMARY KEY)", "CREATE TABLE b (id INT PRIMARY KEY)", "CREATE TABLE nokey (v INT)",
		"INSERT INTO a VALUES (1)", "INSERT INTO b VALUES (1), (2)")
	dst := openMySQLT(t)
	_, err := Copy(ctx, src, dst, CopyOptions{Tables: []string{"a", " b", "missing", "nokey", "a"}, Create: true})
	pe := refusedT(t, "bad tables", err, "missing does not exist in", "nokey has no primary key")
	if len(pe.Plan.Problems) != 2 || !errors.Is(err, ErrNoKey) || !errors.Is(err, ErrNoTable) {
		t.Errorf("problems: %q", pe.Lines())
	}
	_, err = Copy(ctx, src, dst, CopyOptions{Tables: []string{"A"}, Create: true})
	refusedT(t, "another spelling", err, "A does not exist in", "case-sensitive (did you mean a?)")
	if got := tablesOf(t, dst); len(got) != 0 {
		t.Errorf("tables written before the refusal: %v", got)
	}
	res := copyT(t, src, dst, CopyOptions{Tables: []string{"a, b", " b"}, Create: true})
	if len(res.Tables) != 2 || res.Tables[0].Table != "a" || res.Tables[1].Table != "b" || res.Tables[1].Rows != 2 {
		t.Errorf("trimmed list: %+v", res.Tables)
	}
}

// A catch-up checks its tables before it writes its own position table on
// the target: a trigger there is refused by name, and the target is left
// as it was.
func TestPreflightCatchupTargetTrigger(t *testing.T) {
	ctx := context.Background()
	src, dst := openSQLiteT(t, "src"), openSQLiteT(t, "dst")
	execT(t, src, "CREATE TABLE items (id INTEGER PRIMARY KEY, sku TEXT)")
	installT(t, src, []string{"items"})
	execT(t, dst, "CREATE TABLE items (id INTEGER PRIMARY KEY, sku TEXT)", "CREATE TABLE audit (sku TEXT)",
		"CREATE TRIGGER items_touch BEFORE UPDATE ON items BEGIN INSERT INTO audit VALUES (NEW.sku); END")
	_, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Tables: []string{" items"}, Until: UntilDrained})
	refusedT(t, "catch-up onto a trigger", err, "trigger items_touch (BEFORE UPDATE) on the target table items", `DROP TRIGGER "items_touch";`)
	if got := tablesOf(t, dst); !reflect.DeepEqual(got, []string{"audit", "items"}) {
		t.Errorf("tables after the refusal: %v", got)
	}
	if _, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Tables: []string{"items"}, Until: UntilDrained, AllowTargetTriggers: true}); err != nil {
		t.Errorf("allowed: %v", err)
	}
}
