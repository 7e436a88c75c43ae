package engine

import (
	"context"
	"testing"
)

// Keys of several columns that hold a date, a time, a number or a uuid
// reach a PostgreSQL target through catch-up and repair. Such keys are
// listed there as (cols) IN (VALUES …), where a bare quoted value is text:
// "date = text" does not exist, and every delete, moved unique value and
// repair of these tables stopped with SQLSTATE 42883.

// The literals themselves: typed where a bare one would be text, bare for
// the common integer and text keys.
func TestPostgresKeyLiteralsTyped(t *testing.T) {
	d := &DB{dialect: postgresDialect{}}
	tb := &Table{Name: "t", Key: []int{0, 1}, Columns: []Column{
		{Name: "day", Family: FamDate, CastType: "pg_catalog.date"},
		{Name: "n", Family: FamInt, CastType: "pg_catalog.int4"},
		{Name: "s", Family: FamText, CastType: "pg_catalog.varchar"},
		{Name: "b", Family: FamBool, CastType: "pg_catalog.bool"},
		{Name: "x", Family: FamDouble, CastType: "pg_catalog.float8"},
	}}
	keys := [][]Value{{{Kind: KindText, B: []byte("2024-01-01")}, {Kind: KindInt, B: []byte("7")}}}
	if got, want := d.KeyIn(tb, keys), `("day", "n") IN (VALUES ('2024-01-01'::pg_catalog.date, 7))`; got != want {
		t.Errorf("KeyIn\n got %s\nwant %s", got, want)
	}
	for _, tc := range []struct {
		col  int
		v    Value
		want string
	}{
		{1, Value{Kind: KindInt, B: []byte("-42")}, "-42"},
		{2, Value{Kind: KindText, B: []byte("it's")}, "'it''s'"},
		{2, Value{Kind: KindInt, B: []byte("5")}, "'5'::pg_catalog.varchar"},
		{3, Value{Kind: KindInt, B: []byte("1")}, "'1'::pg_catalog.bool"},
		{4, Value{Kind: KindFloat, B: []byte("NaN")}, "'NaN'::pg_catalog.float8"},
		{0, Value{}, "NULL"},
	} {
		c := &tb.Columns[tc.col]
		if got := string(d.dialect.appendKeyLiteral(nil, c, tc.v)); got != tc.want {
			t.Errorf("key literal of %s %q: %s, want %s", c.Name, tc.v.B, got, tc.want)
		}
	}
}

// typedKeyTables creates, on a source of kind, a table whose primary key
// holds every such type and one whose unique key (not the row key) holds
// a date.
func typedKeyTables(kind string) []string {
	at, seen := "DATETIME(3)", "TIMESTAMP(3)"
	if kind == "postgres" {
		at, seen = "timestamp(3)", "timestamptz(3)"
	}
	return []string{
		"CREATE TABLE events (day DATE NOT NULL, at " + at + " NOT NULL, seen " + seen + " NOT NULL, dur TIME NOT NULL, " +
			"amount DECIMAL(10,2) NOT NULL, tag UUID NOT NULL, v INT, PRIMARY KEY (day, at, seen, dur, amount, tag))",
		"CREATE TABLE shifts (id INT PRIMARY KEY, uid INT NOT NULL, day DATE NOT NULL, v INT, CONSTRAINT uq_day UNIQUE (uid, day))",
		"INSERT INTO events VALUES " +
			"('2024-01-01', '2024-01-01 10:00:00.250', '2024-01-01 10:00:00.250', '10:00:00', 1.50, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 1), " +
			"('2024-01-01', '2024-01-01 11:00:00.000', '2024-01-01 11:00:00.000', '11:00:00', 2.00, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12', 2), " +
			"('2024-01-02', '2024-01-02 11:00:00.000', '2024-01-02 11:00:00.000', '11:00:00', 2.00, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13', 3)",
		"INSERT INTO shifts VALUES (1, 1, '2024-01-01', 1), (2, 1, '2024-01-02', 2), (3, 2, '2024-01-01', 3)",
	}
}

// openKindT opens a fresh database of kind, mysql or postgres.
func openKindT(t *testing.T, kind string) *DB {
	if kind == "postgres" {
		return openPostgresT(t)
	}
	return openMySQLT(t)
}

// Catch-up deletes, updates and moves a unique date between rows.
func TestPostgresTargetCompositeTypedKeysCatchup(t *testing.T) {
	for _, from := range []string{"mysql", "postgres"} {
		t.Run(from+"->postgres", func(t *testing.T) {
			src, dst := openKindT(t, from), openPostgresT(t)
			execT(t, src, typedKeyTables(from)...)
			tables := []string{"events", "shifts"}
			copyT(t, src, dst, CopyOptions{Tables: tables, Create: true})
			installT(t, src, tables)
			execT(t, src, "DELETE FROM events WHERE v = 1",
				"UPDATE events SET v = 20 WHERE v = 2",
				"UPDATE events SET day = '2024-02-01' WHERE v = 3", // a new key: the old one is deleted
				"UPDATE shifts SET day = '2024-01-09' WHERE id = 1",
				"UPDATE shifts SET day = '2024-01-01' WHERE id = 2", // taken from id 1
				"UPDATE shifts SET v = 30 WHERE id = 3")
			drainT(t, src, dst)
			for _, tb := range tables {
				if s, d := countT(t, src, tb), countT(t, dst, tb); s != d {
					t.Errorf("%s: %d rows on the source, %d on the target", tb, s, d)
				}
				verifyNoDiffs(t, src, dst, tb)
			}
		})
	}
}

// Repair deletes an extra row, writes a missing and a changed one, and a
// unique date the target holds on another row.
func TestPostgresTargetCompositeTypedKeysRepair(t *testing.T) {
	for _, from := range []string{"mysql", "postgres"} {
		t.Run(from+"->postgres", func(t *testing.T) {
			src, dst := openKindT(t, from), openPostgresT(t)
			execT(t, src, typedKeyTables(from)...)
			tables := []string{"events", "shifts"}
			copyT(t, src, dst, CopyOptions{Tables: tables, Create: true})
			execT(t, dst, "DELETE FROM events WHERE v = 1",
				"UPDATE events SET v = 0 WHERE v = 2",
				"INSERT INTO events VALUES ('2024-03-01', '2024-03-01 00:00:00.125', '2024-03-01 00:00:00.125', '00:00:01', 9.99, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a19', 9)",
				"DELETE FROM shifts WHERE id = 2",
				"UPDATE shifts SET day = '2024-01-02' WHERE id = 1") // id 2's date, on id 1
			res, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: tables, Repair: true})
			if err != nil {
				t.Fatal(err)
			}
			if res.DiffCount != 5 {
				t.Errorf("%d differences before the repair, want 5 (%v)", res.DiffCount, res.Diffs)
			}
			for _, tb := range tables {
				verifyNoDiffs(t, src, dst, tb)
			}
		})
	}
}
