package engine

import (
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

