package engine

import (
	"context"
	"strings"
	"testing"
)

// A copy out of PostgreSQL refuses, all at once and before any write, every
// column another database cannot hold and every relation that is not a
// base table, naming each.
func TestPostgresPreflightRefusals(t *testing.T) {
	ctx := context.Background()
	src := openPostgresT(t)
	execT(t, src,
		`CREATE TABLE odd (id int PRIMARY KEY, tags text[], wait interval, at timetz, price money, ok text)`,
		`CREATE TABLE wide (id int PRIMARY KEY, n numeric, huge numeric(70,10))`,
		`CREATE VIEW odd_view AS SELECT id FROM odd`,
		`CREATE TABLE parted (id int PRIMARY KEY, v text) PARTITION BY RANGE (id)`,
		`CREATE TABLE parted_low PARTITION OF parted FOR VALUES FROM (0) TO (100)`,
		`CREATE TABLE parted_high PARTITION OF parted FOR VALUES FROM (100) TO (200)`,
		`INSERT INTO parted VALUES (1, 'a'), (150, 'b')`)
	dst := openMySQLT(t)
	_, err := Copy(ctx, src, dst, CopyOptions{Tables: []string{"odd", "wide", "odd_view", "parted_low"}, Create: true})
	pe := refusedT(t, "postgres to mysql", err,
		"odd.tags is text[], which has no equivalent in mysql",
		"odd.wait is interval", "odd.at is time with time zone", "odd.price is money",
		"wide.n is numeric: a numeric without precision", "wide.huge is numeric(70,10): MySQL's DECIMAL holds at most 65 digits",
		"odd_view is a view", "parted_low is a partition of parted, not a base table: copy parted,")
	if n := len(pe.Plan.Problems); n != 8 {
		t.Errorf("%d problems, want 8: %v", n, err)
	}
	if strings.Contains(err.Error(), "odd.ok") || strings.Contains(err.Error(), "wide.id") {
		t.Errorf("a column that can be copied is refused: %v", err)
	}
	if got := tablesOf(t, dst); len(got) != 0 {
		t.Errorf("the refused copy wrote tables %v", got)
	}

	// PostgreSQL to PostgreSQL keeps them all as they are
	pg := openPostgresT(t)
	execT(t, src, `CREATE INDEX parted_v ON parted (v)`, `INSERT INTO odd VALUES (1, '{a,"b c"}', '1 day 02:00', '10:00+02', 12.5, 'x')`)
	copyT(t, src, pg, CopyOptions{Tables: []string{"odd", "wide", "parted"}, Create: true})
	_, a := readAll(t, src, "odd")
	_, b := readAll(t, pg, "odd")
	if len(b) != 1 || a[0][1].Text() != b[0][1].Text() || b[0][1].Text() != `{a,"b c"}` {
		t.Errorf("array copied as %v, want %v", b, a)
	}
	if n := countT(t, pg, "parted"); n != 2 {
		t.Errorf("partitioned table into PostgreSQL: %d rows, want 2", n)
	}

	// a partitioned table is copied through its parent: every partition's rows
	copyT(t, src, dst, CopyOptions{Tables: []string{"parted"}, Create: true})
	if n := countT(t, dst, "parted"); n != 2 {
		t.Errorf("partitioned table: %d rows copied, want 2", n)
	}
}

// MySQL's zero dates and TIMEs beyond a day are refused before a copy into
// PostgreSQL, with their column and count.
func TestPostgresPreflightZeroDates(t *testing.T) {
	ctx := context.Background()
	src := openMySQLT(t)
	conn, err := src.SQL().Conn(ctx) // one session: the lax sql_mode applies to the INSERT
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"SET SESSION sql_mode = ''",
		"CREATE TABLE z (id INT PRIMARY KEY, d DATE, dt DATETIME, tm TIME, fine DATE)",
		"INSERT INTO z VALUES (1, '0000-00-00', '2020-00-10 00:00:00', '25:00:00', '2020-01-01'), (2, '2020-01-00', NULL, '-01:00:00', NULL), (3, '2020-01-01', '2020-01-01', '10:00:00', NULL)"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	discardConn(conn)
	dst := openPostgresT(t)
	_, err = Copy(ctx, src, dst, CopyOptions{Tables: []string{"z"}, Create: true})
	pe := refusedT(t, "zero dates", err, "z.d holds 2 zero dates", "z.dt holds 1 zero dates", "z.tm holds 2 times outside")
	if n := len(pe.Plan.Problems); n != 3 {
		t.Errorf("%d problems, want 3: %v", n, err)
	}
	// the valid rows alone go through
	copyT(t, src, dst, CopyOptions{Tables: []string{"z"}, Create: true, Where: "id = 3"})
}

// A value PostgreSQL refuses (a NUL inside a string) stops the copy with
// the row's key and the server's reason.
func TestPostgresRefusedRowNamed(t *testing.T) {
	src := openMySQLT(t)
	execT(t, src, "CREATE TABLE s (id INT PRIMARY KEY, v VARCHAR(20))",
		"INSERT INTO s VALUES (1, 'a'), (2, 'b'), (3, 'nul\\0inside'), (4, 'd')")
	dst := openPostgresT(t)
	_, err := Copy(context.Background(), src, dst, CopyOptions{Tables: []string{"s"}, Create: true})
	if err == nil || !strings.Contains(err.Error(), "row id=3") || !strings.Contains(err.Error(), "0x00") {
		t.Fatalf("got %v, want the row id=3 and the NUL named", err)
	}
}

// An existing PostgreSQL target whose columns are narrower than the
// source's is refused, column by column.
func TestPostgresPreflightNarrowTarget(t *testing.T) {
	src, dst := openPostgresT(t), openPostgresT(t)
	execT(t, src, `CREATE TABLE n (id bigint PRIMARY KEY, v varchar(10), m numeric(12,4), ts timestamp(6))`)
	execT(t, dst, `CREATE TABLE n (id int PRIMARY KEY, v varchar(5), m numeric(12,2), ts timestamp(6))`)
	_, err := Copy(context.Background(), src, dst, CopyOptions{Tables: []string{"n"}})
	pe := refusedT(t, "narrow target", err, "n.id is bigint on the source and int on the target: larger values do not fit",
		"n.v is varchar(10) on the source and varchar(5) on the target", "n.m is numeric(12,4) on the source and numeric(12,2) on the target: decimals would be rounded")
	if len(pe.Plan.Problems) != 3 {
		t.Errorf("%d problems, want 3: %v", len(pe.Plan.Problems), err)
	}
}

// PostgreSQL's infinite and BC dates and timestamps have no MySQL
// DATETIME or DATE: they are refused before a copy into MySQL, with their
// column and count, not by the first row MySQL rejects mid-table.
func TestPostgresPreflightInfiniteDatesIntoMySQL(t *testing.T) {
	ctx := context.Background()
	src, dst := openPostgresT(t), openMySQLT(t)
	execT(t, src, "CREATE TABLE z (id int PRIMARY KEY, ts timestamp, tz timestamptz, d date, fine date)",
		`INSERT INTO z VALUES (1, 'infinity', '-infinity', '4713-01-01 BC', '2020-01-01'),
		(2, '2024-03-31 02:30:00', '2024-10-27 01:30:00+00', 'infinity', NULL),
		(3, '2024-01-01', '2024-01-01 00:00:00+00', '2024-02-29', NULL)`)
	_, err := Copy(ctx, src, dst, CopyOptions{Tables: []string{"z"}, Create: true})
	pe := refusedT(t, "infinite dates", err, "z.ts holds 1 dates", "z.tz holds 1 dates", "z.d holds 2 dates")
	if n := len(pe.Plan.Problems); n != 3 {
		t.Errorf("%d problems, want 3: %v", n, err)
	}
	copyT(t, src, dst, CopyOptions{Tables: []string{"z"}, Create: true, Where: "id = 3"})
}

// NaN and infinities (numeric, real, double precision) have no MySQL
// value: refused by the preflight with their column and count.
func TestPostgresPreflightNaNIntoMySQL(t *testing.T) {
	ctx := context.Background()
	src, dst := openPostgresT(t), openMySQLT(t)
	execT(t, src, "CREATE TABLE n (id int PRIMARY KEY, a numeric(10,2), f float8, r real)",
		`INSERT INTO n VALUES (1, 'NaN', 'NaN', 'Infinity'), (2, 1.5, '-0', '-Infinity'), (3, 2, 'Infinity', 4)`)
	_, err := Copy(ctx, src, dst, CopyOptions{Tables: []string{"n"}, Create: true})
	pe := refusedT(t, "NaN", err, "n.a holds 1 NaN", "n.f holds 2 NaN", "n.r holds 2 NaN")
	if n := len(pe.Plan.Problems); n != 3 {
		t.Errorf("%d problems, want 3: %v", n, err)
	}
}

// An allowed trigger on a PostgreSQL target does not fire when runway's
// user is a superuser, since the writers set session_replication_role =
// replica: the plan says so rather than that it fires, and the copy shows
// it did not.
func TestPostgresAllowedTriggerNote(t *testing.T) {
	ctx := context.Background()
	src, dst := openSQLiteT(t, "trig.db"), openPostgresT(t)
	execT(t, src, "CREATE TABLE o (id INTEGER PRIMARY KEY, v INT)", "INSERT INTO o VALUES (1, 1)")
	execT(t, dst, "CREATE TABLE o (id integer PRIMARY KEY, v integer)", "CREATE TABLE seen (id integer)",
		"CREATE FUNCTION note_o() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN INSERT INTO seen VALUES (NEW.id); RETURN NEW; END$$",
		"CREATE TRIGGER o_seen AFTER INSERT ON o FOR EACH ROW EXECUTE FUNCTION note_o()")
	p, err := PreflightPlan(ctx, src, dst, PreflightOptions{Engine: PlanCopy, Tables: []string{"o"}, AllowTargetTriggers: true})
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(p.Tables[0].Notes, "\n")
	if !strings.Contains(notes, "trigger o_seen (AFTER INSERT): does not fire (allowed)") {
		t.Errorf("plan notes:\n%s", notes)
	}
	copyT(t, src, dst, CopyOptions{Tables: []string{"o"}, AllowTargetTriggers: true})
	if n := countT(t, dst, "seen"); n != 0 {
		t.Errorf("the trigger fired %d times", n)
	}
}
