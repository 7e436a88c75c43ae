package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestNoKeyTableRefused(t *testing.T) {
	ctx := context.Background()
	m := openMySQLT(t)
	s := openSQLiteT(t, "nokey")
	for _, d := range []*DB{m, s} {
		execT(t, d, "CREATE TABLE nokey (a INT, b INT)", "CREATE TABLE nullkey (a INT NULL, b INT, UNIQUE (a))",
			"CREATE TABLE uk (a INT NOT NULL, b INT, UNIQUE (a))", "INSERT INTO uk VALUES (1, 2), (3, 4)")
		for _, name := range []string{"nokey", "nullkey"} {
			_, err := d.Table(ctx, name)
			if !errors.Is(err, ErrNoKey) || !strings.Contains(err.Error(), name) {
				t.Errorf("%s %s: got %v, want ErrNoKey naming the table", d.Driver(), name, err)
			}
			dst := openSQLiteT(t, "dst")
			_, err = Copy(ctx, d, dst, CopyOptions{Tables: []string{name}, Create: true})
			if !errors.Is(err, ErrNoKey) {
				t.Errorf("copy %s %s: got %v, want ErrNoKey", d.Driver(), name, err)
			}
			if ok, _ := dst.Exists(ctx, name); ok {
				t.Errorf("copy %s %s: created the target anyway", d.Driver(), name)
			}
		}
		// a unique key over NOT NULL columns is enough
		tb, err := d.Table(ctx, "uk")
		if err != nil || len(tb.Key) != 1 || tb.Columns[tb.Key[0]].Name != "a" {
			t.Fatalf("%s uk: %v %+v", d.Driver(), err, tb)
		}
		dst := openSQLiteT(t, "dst")
		copyT(t, d, dst, CopyOptions{Tables: []string{"uk"}, Create: true})
		if n := countT(t, dst, "uk"); n != 2 {
			t.Errorf("%s uk: %d rows copied", d.Driver(), n)
		}
	}
	if _, err := m.Table(ctx, "missing"); !errors.Is(err, ErrNoTable) {
		t.Errorf("missing table: %v", err)
	}
}

func TestTargetRefusals(t *testing.T) {
	ctx := context.Background()
	src := openMySQLT(t)
	execT(t, src, "CREATE TABLE t (id INT PRIMARY KEY, x VARCHAR(10), y INT)", "INSERT INTO t VALUES (1, 'a', 2)")
	for _, dst := range []*DB{openMySQLT(t), openSQLiteT(t, "dst")} {
		// missing target without create
		_, err := Copy(ctx, src, dst, CopyOptions{Tables: []string{"t"}})
		if err == nil || !strings.Contains(err.Error(), "does not exist") || !strings.Contains(err.Error(), "create") {
			t.Errorf("%s missing target: %v", dst.Driver(), err)
		}
		// columns that do not match are named
		execT(t, dst, "CREATE TABLE t (id INT PRIMARY KEY, x VARCHAR(10), extra INT, more INT)")
		_, err = Copy(ctx, src, dst, CopyOptions{Tables: []string{"t"}, Create: true})
		if err == nil || !strings.Contains(err.Error(), "missing columns y") || !strings.Contains(err.Error(), "extra columns extra, more") {
			t.Errorf("%s mismatched target: %v", dst.Driver(), err)
		}
		// a target without a unique key on the source key
		execT(t, dst, "DROP TABLE t", "CREATE TABLE t (id INT NOT NULL, x VARCHAR(10), y INT)")
		_, err = Copy(ctx, src, dst, CopyOptions{Tables: []string{"t"}})
		if err == nil || !strings.Contains(err.Error(), "no primary or unique key on (id)") {
			t.Errorf("%s keyless target: %v", dst.Driver(), err)
		}
		// a matching target with a different column order is fine
		execT(t, dst, "DROP TABLE t", "CREATE TABLE t (y INT, X VARCHAR(10), id INT PRIMARY KEY)")
		copyT(t, src, dst, CopyOptions{Tables: []string{"t"}})
		var x string
		var y int
		if err := dst.SQL().QueryRow("SELECT x, y FROM t WHERE id = 1").Scan(&x, &y); err != nil || x != "a" || y != 2 {
			t.Errorf("%s reordered target: %q %d %v", dst.Driver(), x, y, err)
		}
	}
}

func TestSameTableRefused(t *testing.T) {
	for _, d := range []*DB{openMySQLT(t), openSQLiteT(t, "one")} {
		execT(t, d, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)")
		_, err := Copy(context.Background(), d, d, CopyOptions{Tables: []string{"t"}})
		if err == nil || !strings.Contains(err.Error(), "same table") {
			t.Errorf("%s onto itself: %v", d.Driver(), err)
		}
	}
}

func TestWhereFilter(t *testing.T) {
	src := openSQLiteT(t, "src")
	execT(t, src, "CREATE TABLE o (id INTEGER PRIMARY KEY, merchant INT NOT NULL, v TEXT)",
		"WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < 1000) INSERT INTO o SELECT n, n % 10, 'v' || n FROM c")
	dst := openMySQLT(t)
	res := copyT(t, src, dst, CopyOptions{Tables: []string{"o"}, Create: true, Where: "merchant IN (3, 7)", MaxChunkRows: 33})
	if res.Tables[0].Rows != 200 {
		t.Fatalf("copied %d rows, want 200", res.Tables[0].Rows)
	}
	var n, bad int
	if err := dst.SQL().QueryRow("SELECT COUNT(*), SUM(merchant NOT IN (3, 7)) FROM o").Scan(&n, &bad); err != nil || n != 200 || bad != 0 {
		t.Fatalf("target: %d rows, %d outside the filter, %v", n, bad, err)
	}
	// another slice is another job: it copies its own rows, not skipped
	res = copyT(t, src, dst, CopyOptions{Tables: []string{"o"}, Where: "merchant = 1"})
	if res.Tables[0].Rows != 100 || res.Tables[0].Skipped {
		t.Fatalf("second slice: %+v", res.Tables[0])
	}
	// the same slice again is done already
	res = copyT(t, src, dst, CopyOptions{Tables: []string{"o"}, Where: "merchant IN (3, 7)"})
	if !res.Tables[0].Skipped || res.Tables[0].Rows != 0 {
		t.Fatalf("rerun: %+v", res.Tables[0])
	}
	if n := countT(t, dst, "o"); n != 300 {
		t.Fatalf("target holds %d rows, want 300", n)
	}
}
