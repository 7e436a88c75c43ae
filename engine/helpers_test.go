package engine

import (
	"context"
	"strings"
	"testing"

	"runway/engine/enginetest"
)

func openMySQLT(t testing.TB) *DB {
	t.Helper()
	dsn, _ := enginetest.MySQL(t)
	return openMySQLDSNT(t, dsn)
}

// openMySQLDSNT opens a MySQL test database by its DSN.
func openMySQLDSNT(t testing.TB, dsn string) *DB {
	t.Helper()
	d, err := Open(MySQL, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func openSQLiteT(t testing.TB, name string) *DB {
	t.Helper()
	d, err := Open(SQLite, enginetest.SQLitePath(t, name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func execT(t testing.TB, d *DB, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := d.SQL().Exec(q); err != nil {
			t.Fatalf("%s: %v\n%s", d, err, q)
		}
	}
}

// readAll reads every row of table in key order.
func readAll(t testing.TB, d *DB, table string) (*Table, [][]Value) {
	t.Helper()
	ctx := context.Background()
	tb, err := d.Table(ctx, table)
	if err != nil {
		t.Fatal(err)
	}
	b := NewBatch(len(tb.Copied()))
	if _, err := d.ReadChunk(ctx, nil, Read{Table: tb}, b); err != nil {
		t.Fatal(err)
	}
	var rows [][]Value
	for r := 0; r < b.Len(); r++ {
		row := b.Row(nil, r)
		for i := range row {
			row[i] = row[i].Clone()
		}
		rows = append(rows, row)
	}
	return tb, rows
}

// sameRows compares two tables row by row; exact also compares kinds, else
// only null-ness and canonical text (for tables in different engines).
func sameRows(t testing.TB, what string, ta *Table, a [][]Value, tb *Table, b [][]Value, exact bool) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: %d rows vs %d rows", what, len(a), len(b))
	}
	bad := 0
	for r := range a {
		for c := range a[r] {
			x, y := a[r][c], b[r][c]
			same := x.Equal(y)
			if !exact {
				same = (x.Kind == KindNull) == (y.Kind == KindNull) && x.Text() == y.Text()
			}
			if !same {
				bad++
				if bad <= 10 {
					t.Errorf("%s: row %d column %s: %s %q vs %s %q", what, r, ta.Columns[ta.Copied()[c]].Name, x.Kind, x.Text(), y.Kind, y.Text())
				}
			}
		}
	}
}

func copyT(t testing.TB, src, dst *DB, opts CopyOptions) CopyResult {
	t.Helper()
	res, err := Copy(context.Background(), src, dst, opts)
	if err != nil {
		t.Fatalf("copy %s -> %s: %v", src, dst, err)
	}
	return res
}

func countT(t testing.TB, d *DB, table string) int64 {
	t.Helper()
	var n int64
	if err := d.SQL().QueryRow("SELECT COUNT(*) FROM " + d.Quote(table)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func joinLines(lines ...string) string { return strings.Join(lines, "\n") }

// textColumn runs q, which selects one text column, and returns its values.
func textColumn(t testing.TB, d *DB, q string) []string {
	t.Helper()
	rows, err := d.SQL().Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// openTargetT opens a fresh target database of engine (MySQL, SQLite or
// Postgres).
func openTargetT(t testing.TB, engine string) *DB {
	t.Helper()
	switch engine {
	case MySQL:
		return openMySQLT(t)
	case SQLite:
		return openSQLiteT(t, "dst")
	}
	return openPostgresT(t)
}
