package engine

import (
	"fmt"
	"testing"
)

// everyTypeForPostgres is everyType with the values PostgreSQL cannot hold
// left out: a TIME beyond a day and a NUL inside a string.
var everyTypeForPostgres = []string{
	`CREATE TABLE everything (
  id BIGINT NOT NULL PRIMARY KEY,
  i INT NULL, ti TINYINT, su SMALLINT UNSIGNED, iu INT UNSIGNED, u BIGINT UNSIGNED,
  d DECIMAL(20,6), m DECIMAL(12,2), big DECIMAL(65,30), f FLOAT, g DOUBLE,
  s VARCHAR(100), t TEXT, c CHAR(5),
  b BLOB, vb VARBINARY(16),
  dt DATETIME(6), dt0 DATETIME, ts TIMESTAMP(6) NULL DEFAULT NULL, da DATE, tm TIME(3), y YEAR,
  j JSON, e ENUM('a','b c'), st SET('x','y'), bt BIT(10)
) DEFAULT CHARSET=utf8mb4`,
	`INSERT INTO everything VALUES
 (1, 42, -128, 65535, 4294967295, 18446744073709551615, 12345678901234.123456, 1234.50,
  99999999999999999999999999999999999.999999999999999999999999999999, 1.2345678, 0.1e0+0.2e0,
  'it''s a \\ test\n\r\Z', 'emoji 🙂🚀 héllo 中文', 'ab', X'00FF00', X'0000', '2023-01-01 12:34:56.123456',
  '1999-12-31 23:59:59', '2038-01-19 03:14:07.999999', '2024-02-29', '23:59:59.999', 2155,
  '{"a": [1, 2.50, "x"], "b": null}', 'b c', 'x,y', b'1010101010'),
 (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (3, 0, 0, 0, 0, 0, -0.000001, -0.01, -99999999999999999999999999999999999.999999999999999999999999999999, -3.4e38, -1.7976931348623157e308,
  '', '', '', X'', X'', '1000-01-01 00:00:00.000001',
  '2000-01-01 00:00:00', '1970-01-01 00:00:01.000000', '1000-01-01', '00:00:00.001', 1901, '[]', 'a', '', b'0'),
 (4, 2147483647, 127, 1, 1, 9223372036854775807, 99999999999999.999999, 9999999999.99, 0.000000000000000000000000000001, 1e-30, 4.9e-324,
  'tab\there', 'quote '' and "double" \\\\ back', 'x',
  X'5C27220D0A1A', X'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF', '9999-12-31 23:59:59.999999', '2023-03-26 02:30:00', '2023-03-26 02:30:00.500000',
  '9999-12-31', '12:00:00', 2023, '{"emoji": "🙂", "n": 12345678901234567890}', NULL, 'y', b'1111111111'),
 (18446744073, -2147483648, 1, 2, 3, 9223372036854775808, 1.5, 0.5, 1, 3.40282e38, 1e308, 'x', 'y', 'z', X'01', X'02',
  '2023-06-01 00:00:00.000000', '2023-06-01 00:00:00', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
}

// TestPostgresRoundTripMySQL copies every MySQL type to PostgreSQL and back
// into a fresh MySQL database, comparing every value on the way.
func TestPostgresRoundTripMySQL(t *testing.T) {
	p := openPostgresT(t)
	m1 := openMySQLT(t)
	execT(t, m1, everyTypeForPostgres...)
	tm, orig := readAll(t, m1, "everything")

	copyT(t, m1, p, CopyOptions{Tables: []string{"everything"}, Create: true})
	tp, gotP := readAll(t, p, "everything")
	sameCanon(t, "mysql->postgres", tm, orig, tp, gotP)

	m2 := openMySQLT(t)
	copyT(t, p, m2, CopyOptions{Tables: []string{"everything"}, Create: true})
	tm2, got2 := readAll(t, m2, "everything")
	sameCanon(t, "mysql->postgres->mysql", tm, orig, tm2, got2)
}

// sameCanon compares two tables row by row through the canonical values
// verify uses across engines.
func sameCanon(t testing.TB, what string, ta *Table, a [][]Value, tb *Table, b [][]Value) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: %d rows vs %d rows", what, len(a), len(b))
	}
	ca, cb := ta.Copied(), tb.Copied()
	bad := 0
	for r := range a {
		for c := range a[r] {
			x, y := a[r][c], b[r][c]
			colA, colB := &ta.Columns[ca[c]], &tb.Columns[cb[c]]
			sx := string(appendCanon(nil, x, colA, decimalScale(colA, colB)))
			sy := string(appendCanon(nil, y, colB, decimalScale(colB, colA)))
			if sx != sy {
				bad++
				if bad <= 12 {
					t.Errorf("%s: row %d column %s: %s %q vs %s %q", what, r, colA.Name, x.Kind, x.Text(), y.Kind, y.Text())
				}
			}
		}
	}
}

// The copy's PostgreSQL connections terminated mid-copy, on both sides:
// the chunks are retried and every row arrives exactly once.
func TestPostgresKilledConnectionsRetried(t *testing.T) {
	const n = 20000
	src, dst := openPostgresT(t), openPostgresT(t)
	seedOrders(t, src, n)
	updateCounter(t, dst)
	admin := openPostgresT(t)
	var srcDB, dstDB string
	src.SQL().QueryRow("SELECT current_database()").Scan(&srcDB)
	dst.SQL().QueryRow("SELECT current_database()").Scan(&dstDB)
	killed := 0
	kill := func() {
		var k int
		err := admin.SQL().QueryRow(`SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE datname IN ($1, $2) AND pid <> pg_backend_pid()) x`, srcDB, dstDB).Scan(&k)
		if err != nil {
			t.Error(err)
		}
		killed += k
	}
	chunks := 0
	res := copyT(t, src, dst, CopyOptions{Tables: []string{"o"}, AllowTargetTriggers: true, MaxChunkRows: 500,
		OnCheckpoint: func(c Checkpoint) {
			chunks++
			if chunks == 3 || chunks == 9 || chunks == 15 {
				kill()
			}
		}})
	if killed == 0 {
		t.Fatal("no connection was killed")
	}
	if res.Tables[0].Retries == 0 {
		t.Fatalf("no retry after %d kills: %+v", killed, res.Tables[0])
	}
	if got := countT(t, dst, "o"); got != n || res.Tables[0].Total != n {
		t.Fatalf("target holds %d rows (result %d), want %d", got, res.Tables[0].Total, n)
	}
	if r := rewrites(t, dst); r != 0 {
		t.Fatalf("%d rows written twice", r)
	}
	ts, a := readAll(t, src, "o")
	td, b := readAll(t, dst, "o")
	sameRows(t, "after kills", ts, a, td, b, false)
}

// everyPostgresType is a PostgreSQL table with every type runway carries to
// the other databases, and the awkward values.
var everyPostgresType = []string{
	`CREATE TYPE "Mood" AS ENUM ('sad', 'o''k', 'happy')`,
	`CREATE TABLE "Every Type" (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  "select" integer, si smallint, bi bigint, n numeric(65,30), nu numeric, m numeric(12,2),
  r real, d double precision, ok boolean,
  v varchar(20), c char(4), t text, u uuid, b bytea,
  da date, ts timestamp(6), ts0 timestamp(0), tz timestamptz(6), tm time(3),
  j json, jb jsonb, mood "Mood",
  twice bigint GENERATED ALWAYS AS ("select"::bigint * 2) STORED
)`,
	`INSERT INTO "Every Type" ("select", si, bi, n, nu, m, r, d, ok, v, c, t, u, b, da, ts, ts0, tz, tm, j, jb, mood) VALUES
 (2147483647, 32767, 9223372036854775807, 99999999999999999999999999999999999.999999999999999999999999999999,
  123456789012345678901234567890.123456789, 1234.50, 3.4028235e38, 1.7976931348623157e308, true,
  'it''s \ a "test"', 'ab', E'emoji 🙂🚀 héllo 中文\ttab\nnewline\r\\', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\x00ff0000',
  '2024-02-29', '2023-01-01 12:34:56.123456', '1999-12-31 23:59:59', '2038-01-19 03:14:07.999999+00', '23:59:59.999',
  '{"a": [1, 2.5, "x"], "b": null}', '{"b": 1, "a": [true]}', 'o''k'),
 (-2147483648, -32768, -9223372036854775808, -99999999999999999999999999999999999.999999999999999999999999999999,
  -0.000000000000000000000000000000000001, -0.01, -1.17549435e-38, 4.9e-324, false,
  '', '', '', '00000000-0000-0000-0000-000000000000', '\x',
  '0001-01-01', '0001-01-01 00:00:00.000001', '2000-01-01 00:00:00', '1900-01-01 00:00:00.5+00', '00:00:00',
  '[]', '{}', 'sad'),
 (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (0, 0, 0, 0, 0, 0, 1e-45, -0.0, NULL, 'x', 'abcd', 'tail  ', NULL, '\x5c27220d0a1a', '9999-12-31',
  '9999-12-31 23:59:59.999999', '2023-03-26 02:30:00', '2023-03-26 02:30:00.25+02', '12:00:00.001', '"s"', 'null', 'happy')`,
}

// TestPostgresRoundTrips copies every PostgreSQL type PG→PG, PG→SQLite→PG
// and PG→MySQL→PG (the column MySQL cannot hold exactly left out) and
// compares every value with the original.
func TestPostgresRoundTrips(t *testing.T) {
	p1 := openPostgresT(t)
	execT(t, p1, everyPostgresType...)
	tp, orig := readAll(t, p1, "Every Type")
	if len(orig) != 4 {
		t.Fatalf("source has %d rows", len(orig))
	}
	table := CopyOptions{Tables: []string{"Every Type"}, Create: true}

	p2 := openPostgresT(t)
	copyT(t, p1, p2, table)
	tp2, got := readAll(t, p2, "Every Type")
	sameRows(t, "postgres->postgres", tp, orig, tp2, got, true)
	if tw := tp2.Column("twice"); tw == nil || !tw.Generated {
		t.Errorf("generated column not kept generated: %+v", tw)
	}

	s := openSQLiteT(t, "mid")
	copyT(t, p1, s, table)
	ts, gotS := readAll(t, s, "Every Type")
	sameCanon(t, "postgres->sqlite", tp, orig, ts, gotS)
	p3 := openPostgresT(t)
	copyT(t, s, p3, table)
	tp3, got3 := readAll(t, p3, "Every Type")
	sameCanon(t, "postgres->sqlite->postgres", tp, orig, tp3, got3)

	// MySQL: numeric without precision refused (see the preflight test)
	execT(t, p1, `ALTER TABLE "Every Type" DROP COLUMN nu`)
	tp, orig = readAll(t, p1, "Every Type")
	m := openMySQLT(t)
	copyT(t, p1, m, table)
	tm, gotM := readAll(t, m, "Every Type")
	sameCanon(t, "postgres->mysql", tp, orig, tm, gotM)
	p4 := openPostgresT(t)
	copyT(t, m, p4, table)
	tp4, got4 := readAll(t, p4, "Every Type")
	sameCanon(t, "postgres->mysql->postgres", tp, orig, tp4, got4)
}

// Values only PostgreSQL has (infinite and BC timestamps, NaN and infinite
// floats) copy exactly between PostgreSQL databases, with COPY and upserts.
func TestPostgresOwnValues(t *testing.T) {
	src := openPostgresT(t)
	execT(t, src, `CREATE TABLE own (id int PRIMARY KEY, ts timestamp, tz timestamptz, da date, f float8, r real, n numeric)`,
		`INSERT INTO own VALUES (1, 'infinity', '-infinity', '0044-03-15 BC', 'NaN', 'Infinity', 'NaN'),
		 (2, '0001-01-01 00:00:00 BC', '2024-06-01 12:00:00.123456+05:30', 'infinity', '-Infinity', '-Infinity', '1e-100')`)
	_, orig := readAll(t, src, "own")
	for _, create := range []bool{true, false} {
		dst := openPostgresT(t)
		if !create { // an existing table holding a row of its own: upserts
			execT(t, dst, `CREATE TABLE own (id int PRIMARY KEY, ts timestamp, tz timestamptz, da date, f float8, r real, n numeric)`,
				`INSERT INTO own (id) VALUES (2)`)
		}
		copyT(t, src, dst, CopyOptions{Tables: []string{"own"}, Create: create})
		tb, got := readAll(t, dst, "own")
		sameRows(t, fmt.Sprint("create=", create), tb, orig, tb, got, true)
	}
	if s := string(orig[1][2].B); s != "2024-06-01 06:30:00.123456" {
		t.Errorf("timestamptz read as %q, want the UTC time", s)
	}
}
