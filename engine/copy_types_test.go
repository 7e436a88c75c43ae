package engine

import (
	"context"
	"strconv"
	"testing"
)

// everyType is a MySQL table holding every type the engines promise to copy
// exactly, with the awkward values: NULLs, zero bytes in blobs, emoji, JSON,
// BIGINT UNSIGNED max, DATETIME(6), TIMESTAMP, long DECIMALs, quotes,
// backslashes and a NUL inside a string.
var everyType = []string{
	`CREATE TABLE everything (
  id BIGINT NOT NULL PRIMARY KEY,
  i INT NULL, ti TINYINT, su SMALLINT UNSIGNED, u BIGINT UNSIGNED,
  d DECIMAL(20,6), m DECIMAL(12,2), f FLOAT, g DOUBLE,
  s VARCHAR(100), t TEXT, c CHAR(5),
  b BLOB, vb VARBINARY(16),
  dt DATETIME(6), dt0 DATETIME, ts TIMESTAMP(6) NULL DEFAULT NULL, da DATE, tm TIME(3), y YEAR,
  j JSON, e ENUM('a','b c'), bt BIT(10)
) DEFAULT CHARSET=utf8mb4`,
	`INSERT INTO everything VALUES
 (1, 42, -128, 65535, 18446744073709551615, 12345678901234.123456, 1234.50, 1.2345678, 0.1e0+0.2e0,
  'it''s a \\ test\n\r\Z', 'emoji 🙂🚀 héllo 中文', 'ab', X'00FF00', X'0000', '2023-01-01 12:34:56.123456',
  '1999-12-31 23:59:59', '2038-01-19 03:14:07.999999', '2024-02-29', '-838:59:59.000', 2155,
  '{"a": [1, 2.50, "x"], "b": null}', 'b c', b'1010101010'),
 (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (3, 0, 0, 0, 0, -0.000001, -0.01, -3.4e38, -1.7976931348623157e308, '', '', '', X'', X'', '1000-01-01 00:00:00.000001',
  '2000-01-01 00:00:00', '1970-01-01 00:00:01.000000', '1000-01-01', '00:00:00.001', 1901, '[]', 'a', b'0'),
 (4, 2147483647, 127, 1, 9223372036854775807, 99999999999999.999999, 9999999999.99, 1e-30, 4.9e-324, 'nul\0inside', 'quote '' and "double"', 'x',
  X'5C27220D0A1A', X'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF', '9999-12-31 23:59:59.999999', '2023-03-26 02:30:00', '2023-03-26 02:30:00.500000',
  '9999-12-31', '838:59:59.999', 2023, '{"emoji": "🙂", "n": 12345678901234567890}', NULL, b'1111111111'),
 (18446744073, -2147483648, 1, 2, 9223372036854775808, 1.5, 0.5, 3.40282e38, 1e308, 'x', 'y', 'z', X'01', X'02',
  '2023-06-01 00:00:00.000000', '2023-06-01 00:00:00', NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
}

// TestCopyEveryDirectionExact copies the table MySQL→MySQL, MySQL→SQLite,
// SQLite→MySQL and SQLite→SQLite and compares every value.
func TestCopyEveryDirectionExact(t *testing.T) {
	m1 := openMySQLT(t)
	execT(t, m1, everyType...)
	_, orig := readAll(t, m1, "everything")
	if len(orig) != 5 {
		t.Fatalf("source has %d rows", len(orig))
	}

	// MySQL -> MySQL (same engine: kinds and bytes identical)
	m2 := openMySQLT(t)
	copyT(t, m1, m2, CopyOptions{Tables: []string{"everything"}, Create: true})
	tb, got := readAll(t, m2, "everything")
	sameRows(t, "mysql->mysql", tb, orig, tb, got, true)

	// the same through prepared statements (2 rows each, the 5th as text)
	m4 := openMySQLT(t)
	copyT(t, m1, m4, CopyOptions{Tables: []string{"everything"}, Create: true, preparedRows: 2})
	_, got4 := readAll(t, m4, "everything")
	sameRows(t, "mysql->mysql prepared", tb, orig, tb, got4, true)

	// MySQL -> SQLite (across engines: same text for every value)
	s1 := openSQLiteT(t, "s1")
	copyT(t, m1, s1, CopyOptions{Tables: []string{"everything"}, Create: true})
	ts, gotS := readAll(t, s1, "everything")
	sameRows(t, "mysql->sqlite", tb, orig, ts, gotS, false)
	// storage classes that keep the values exact
	var typD, typU, typB, typF, typVB string
	if err := s1.SQL().QueryRow(`SELECT typeof(d), typeof(u), typeof(b), typeof(f), typeof(vb) FROM everything WHERE id = 1`).Scan(&typD, &typU, &typB, &typF, &typVB); err != nil {
		t.Fatal(err)
	}
	if typD != "text" || typU != "text" || typB != "blob" || typF != "real" || typVB != "blob" {
		t.Errorf("sqlite storage classes: decimal %s, uint max %s, blob %s, float %s, varbinary %s", typD, typU, typB, typF, typVB)
	}

	// SQLite -> MySQL, back into a fresh database: must equal the original
	m3 := openMySQLT(t)
	copyT(t, s1, m3, CopyOptions{Tables: []string{"everything"}, Create: true})
	tb3, got3 := readAll(t, m3, "everything")
	sameRows(t, "mysql->sqlite->mysql", tb, orig, tb3, got3, false)
	m5 := openMySQLT(t)
	copyT(t, s1, m5, CopyOptions{Tables: []string{"everything"}, Create: true, preparedRows: 2})
	_, got5 := readAll(t, m5, "everything")
	sameRows(t, "mysql->sqlite->mysql prepared", tb, orig, tb3, got5, false)
	sameRows(t, "sqlite->mysql text vs prepared", tb3, got3, tb3, got5, true)

	// SQLite -> SQLite: storage classes and bytes identical
	s2 := openSQLiteT(t, "s2")
	copyT(t, s1, s2, CopyOptions{Tables: []string{"everything"}, Create: true})
	ts2, gotS2 := readAll(t, s2, "everything")
	sameRows(t, "sqlite->sqlite", ts, gotS, ts2, gotS2, true)

	// SQLite -> SQLite through runway's own reader and writer
	s3 := openSQLiteT(t, "s3")
	copyT(t, s1, s3, CopyOptions{Tables: []string{"everything"}, Create: true, generic: true})
	ts3, gotS3 := readAll(t, s3, "everything")
	sameRows(t, "sqlite->sqlite generic", ts, gotS, ts3, gotS3, true)
}

// TestCopyForeignSQLiteToMySQL copies an SQLite table written by other tools
// (DECIMAL stored as REAL, DATETIME as text, INTEGER PRIMARY KEY) to MySQL.
func TestCopyForeignSQLiteToMySQL(t *testing.T) {
	s := openSQLiteT(t, "foreign")
	execT(t, s, `CREATE TABLE orders (
  id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, amount DECIMAL(12,2) NOT NULL, status VARCHAR(16) NOT NULL,
  note VARCHAR(255), created_at DATETIME NOT NULL, updated_at TIMESTAMP NOT NULL, payload BLOB)`,
		`INSERT INTO orders VALUES (1, 7, 1234.56, 'paid', NULL, '2023-01-01 00:00:37.007919', '2023-01-01 00:00:37', X'00010203'),
		 (2, 8, 99999.99, 'new', 'note ''x''', '2023-01-01 00:01:14.015838', '2023-01-01 00:01:15', NULL),
		 (3, 9, 0.1, 'shipped', '', '2023-01-01 00:01:51.023757', '2023-01-01 00:01:53', X''),
		 (4, 10, 1000000, 'x', 'y', '2023-01-01 00:01:51.000000', '2023-01-01 00:01:53', X'00')`)
	m := openMySQLT(t)
	copyT(t, s, m, CopyOptions{Tables: []string{"orders"}, Create: true})
	rows, err := m.SQL().Query(`SELECT id, CAST(amount AS CHAR), created_at, updated_at, HEX(payload), payload IS NULL, note FROM orders ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	want := [][]string{
		{"1", "1234.56", "2023-01-01 00:00:37.007919", "2023-01-01 00:00:37.000000", "00010203", "0", "<nil>"},
		{"2", "99999.99", "2023-01-01 00:01:14.015838", "2023-01-01 00:01:15.000000", "<nil>", "1", "note 'x'"},
		{"3", "0.10", "2023-01-01 00:01:51.023757", "2023-01-01 00:01:53.000000", "", "0", ""},
		{"4", "1000000.00", "2023-01-01 00:01:51.000000", "2023-01-01 00:01:53.000000", "00", "0", "y"},
	}
	i := 0
	for rows.Next() {
		var id, amount, created, updated, null string
		var hexp, note *string
		if err := rows.Scan(&id, &amount, &created, &updated, &hexp, &null, &note); err != nil {
			t.Fatal(err)
		}
		got := []string{id, amount, created, updated, deref(hexp), null, deref(note)}
		for j := range got {
			if got[j] != want[i][j] {
				t.Errorf("row %d col %d: got %q want %q", i, j, got[j], want[i][j])
			}
		}
		i++
	}
	if i != len(want) {
		t.Fatalf("%d rows", i)
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// TestCompositeKeyEveryDirection copies a table keyed on (text, int, bytes)
// in small chunks, so that resumed keyset reads cross every key column.
func TestCompositeKeyEveryDirection(t *testing.T) {
	ctx := context.Background()
	m1 := openMySQLT(t)
	execT(t, m1, `CREATE TABLE ck (a VARCHAR(20) NOT NULL, b INT NOT NULL, c VARBINARY(8) NOT NULL, v TEXT, PRIMARY KEY (a, b, c))`)
	q := "INSERT INTO ck VALUES "
	n := 0
	for _, a := range []string{"", "a", "a b", "b", "zz", "ü"} {
		for b := -2; b <= 2; b++ {
			for _, c := range []string{"X''", "X'00'", "X'0000'", "X'01'", "X'ff'"} {
				if n > 0 {
					q += ","
				}
				q += "('" + a + "'," + itoa(b) + "," + c + ", 'v')"
				n++
			}
		}
	}
	execT(t, m1, q)
	_, orig := readAll(t, m1, "ck")
	opts := CopyOptions{Tables: []string{"ck"}, Create: true, MaxChunkRows: 7}
	m2 := openMySQLT(t)
	res := copyT(t, m1, m2, opts)
	if res.Tables[0].Rows != int64(n) || res.Tables[0].Chunks < n/7 {
		t.Fatalf("mysql->mysql: %+v", res.Tables[0])
	}
	tb, got := readAll(t, m2, "ck")
	sameRows(t, "mysql->mysql", tb, orig, tb, got, true)

	s1 := openSQLiteT(t, "ck1")
	copyT(t, m1, s1, opts)
	if got := countT(t, s1, "ck"); got != int64(n) {
		t.Fatalf("mysql->sqlite: %d rows, want %d", got, n)
	}
	s2 := openSQLiteT(t, "ck2")
	copyT(t, s1, s2, opts)
	ts1, r1 := readAll(t, s1, "ck")
	ts2, r2 := readAll(t, s2, "ck")
	sameRows(t, "sqlite->sqlite", ts1, r1, ts2, r2, true)
	s4 := openSQLiteT(t, "ck4")
	g := opts
	g.generic = true
	copyT(t, s1, s4, g)
	ts4, r4 := readAll(t, s4, "ck")
	sameRows(t, "sqlite->sqlite generic", ts1, r1, ts4, r4, true)
	m3 := openMySQLT(t)
	copyT(t, s2, m3, opts)
	_, got3 := readAll(t, m3, "ck")
	sameRows(t, "sqlite->mysql", tb, orig, tb, got3, false)
	_ = ctx
}

func itoa(i int) string { return strconv.Itoa(i) }
