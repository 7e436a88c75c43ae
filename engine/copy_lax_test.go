package engine

import (
	"context"
	"strconv"
	"strings"
	"testing"
)

// laxRows are values a server in non-strict mode stored: the ENUM error
// value, the empty string (index 0), zero dates and timestamps, a date with
// a zero day, numbers clamped to their type's range and the zero year.
var laxRows = []string{
	`CREATE TABLE lax (
  id INT NOT NULL PRIMARY KEY,
  e ENUM('a','b') NULL, e2 ENUM('', 'x') NULL, s SET('x','y') NULL,
  d DATE NULL, dt DATETIME NULL, v VARCHAR(10) NULL,
  ts TIMESTAMP NULL DEFAULT NULL, ti TINYINT NULL, m DECIMAL(5,2) NULL, y YEAR NULL
) DEFAULT CHARSET=utf8mb4`,
	"SET SESSION sql_mode = ''",
	`INSERT INTO lax VALUES
 (1, 'a', '', 'x', '2024-01-31', '2024-01-31 10:00:00', 'one', '2024-01-31 10:00:00', 1, 1.5, 2024),
 (2, 'nope', 'x', '', '0000-00-00', '0000-00-00 00:00:00', 'two', '0000-00-00 00:00:00', 300, 123456, 0),
 (3, 'b', NULL, 'x,y', '2020-00-15', NULL, NULL, NULL, -300, -99999, NULL),
 (4, '', '', 'y', '0000-00-00', '2024-02-01 00:00:00', 'four', NULL, NULL, NULL, 1900)`,
}

// laxSource is a MariaDB database whose table lax holds values only a lax
// server stores.
func laxSource(t *testing.T) *DB {
	src := openClaimsMySQL(t)
	conn, err := src.SQL().Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer discardConn(conn) // its lax session must not go back to the pool
	for _, q := range laxRows {
		if _, err := conn.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	return src
}

func verifyAll(t *testing.T, src, dst *DB, table string) {
	t.Helper()
	res, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{table}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passed || res.MatchRate != 1 {
		t.Fatalf("verify %s: match rate %v, diffs %v", table, res.MatchRate, res.Diffs)
	}
}

// TestCopyCarriesLaxValues copies ENUM error values and zero dates
// MySQL→MySQL and MySQL→SQLite→MySQL, exactly, and verify agrees.
func TestCopyCarriesLaxValues(t *testing.T) {
	src := laxSource(t)
	ta, want := readAll(t, src, "lax")
	if want[1][1].Text() != "" || want[1][4].Text() != "0000-00-00" {
		t.Fatalf("the lax server did not store the error values: %v", want[1])
	}

	direct := openClaimsMySQL(t)
	copyT(t, src, direct, CopyOptions{Tables: []string{"lax"}, Create: true})
	tb, got := readAll(t, direct, "lax")
	sameRows(t, "MySQL→MySQL", ta, want, tb, got, true)
	verifyAll(t, src, direct, "lax")
	// again over the rows already there: the update of an upsert stores
	// the error value too
	copyT(t, src, direct, CopyOptions{Tables: []string{"lax"}, Job: "again"})
	tb, got = readAll(t, direct, "lax")
	sameRows(t, "MySQL→MySQL again", ta, want, tb, got, true)

	lite := openSQLiteT(t, "lax")
	copyT(t, src, lite, CopyOptions{Tables: []string{"lax"}, Create: true})
	back := openClaimsMySQL(t)
	createLike(t, src, back, "lax")
	copyT(t, lite, back, CopyOptions{Tables: []string{"lax"}})
	tb, got = readAll(t, back, "lax")
	sameRows(t, "MySQL→SQLite→MySQL", ta, want, tb, got, true)
	verifyAll(t, src, back, "lax")
}

// TestCopyErrorNamesTableAndKey makes one row out of 300 fail on the target
// (a value too long for its column) and wants the table and the row's key in
// the error, never a position in a batch.
func TestCopyErrorNamesTableAndKey(t *testing.T) {
	src := openClaimsMySQL(t)
	dst := openClaimsMySQL(t)
	execT(t, src, "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, note VARCHAR(20) NOT NULL)")
	var vals []string
	for i := 1; i <= 300; i++ {
		note := "'ok'"
		if i == 242 { // id 484 at position 242
			note = "'no \U0001F600 here'"
		}
		vals = append(vals, "("+strconv.Itoa(2*i)+", "+note+")")
	}
	execT(t, src, "INSERT INTO orders VALUES "+strings.Join(vals, ","))
	// The same width (the preflight refuses a narrower one), but latin1: the
	// emoji of row 484 has no latin1 form, which only the server finds.
	execT(t, dst, "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, note VARCHAR(20) CHARACTER SET latin1 NOT NULL)")

	_, err := Copy(context.Background(), src, dst, CopyOptions{Tables: []string{"orders"}, RetryFor: 1})
	if err == nil {
		t.Fatal("copy of a value the target column cannot store succeeded")
	}
	msg := err.Error()
	schema := dbName(t, dst)
	for _, want := range []string{"copy " + schema + ".orders: row id=484:", "Incorrect string value"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
	for _, bad := range []string{"at row", "chunk"} {
		if strings.Contains(msg, bad) {
			t.Errorf("error %q names a batch position (%q)", msg, bad)
		}
	}
	if n := countT(t, dst, "orders"); n != 0 {
		// the chunk holding the bad row is not committed; rows before it in
		// the same chunk neither
		t.Logf("%d rows committed before the failing chunk", n)
	}
}

// TestCopyLaxValuesStayStrictElsewhere: a row holding an ENUM error value is
// written in a lax session, but a value of that row that the target would
// truncate still fails the copy, naming the row.
func TestCopyLaxValuesStayStrictElsewhere(t *testing.T) {
	src := laxSource(t)
	dst := openClaimsMySQL(t)
	createLike(t, src, dst, "lax")
	// Row 4 holds the ENUM error value, so it is written in the lax session,
	// where a value latin1 cannot store would become '?' with a warning.
	execT(t, src, "UPDATE lax SET v = 'fo\U0001F600r' WHERE id = 4")
	execT(t, dst, "ALTER TABLE lax MODIFY v VARCHAR(10) CHARACTER SET latin1 NULL")
	_, err := Copy(context.Background(), src, dst, CopyOptions{Tables: []string{"lax"}, RetryFor: 1})
	t.Log(err)
	if err == nil || !strings.Contains(err.Error(), ".lax: row id=4: ") || !strings.Contains(err.Error(), "Incorrect string value") {
		t.Fatalf("copy of a value latin1 cannot store: want an error naming row id=4, got %v", err)
	}
}

// TestCopyErrorNamesOwnTable: a target trigger writes another table and the
// server's duplicate key error is about that table; the error still names
// the table being copied and the row.
func TestCopyErrorNamesOwnTable(t *testing.T) {
	src := openClaimsMySQL(t)
	dst := openClaimsMySQL(t)
	execT(t, src, "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY)", "INSERT INTO orders VALUES (10), (20), (30)")
	execT(t, dst, "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY)",
		"CREATE TABLE audit (id INT NOT NULL PRIMARY KEY)", "INSERT INTO audit VALUES (7)",
		"CREATE TRIGGER orders_ai AFTER INSERT ON orders FOR EACH ROW INSERT INTO audit VALUES (IF(NEW.id = 20, 7, NEW.id))")
	_, err := Copy(context.Background(), src, dst, CopyOptions{Tables: []string{"orders"}, RetryFor: 1, AllowTargetTriggers: true})
	t.Log(err)
	if err == nil || !strings.Contains(err.Error(), ".orders: row id=20: ") || !strings.Contains(err.Error(), "Duplicate entry '7'") {
		t.Fatalf("want an error naming orders row id=20, got %v", err)
	}
}

// TestCopyErrorOfEveryRowNamesNoRow: when every row fails alike (here a
// trigger refusing all writes), the error names the chunk's key range, not
// its first row as if that row were at fault.
func TestCopyErrorOfEveryRowNamesNoRow(t *testing.T) {
	src := openClaimsMySQL(t)
	dst := openClaimsMySQL(t)
	execT(t, src, "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY)", "INSERT INTO orders VALUES (10), (20), (30)")
	execT(t, dst, "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY)",
		"CREATE TRIGGER orders_bi BEFORE INSERT ON orders FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'no writes here'")
	_, err := Copy(context.Background(), src, dst, CopyOptions{Tables: []string{"orders"}, RetryFor: 1, AllowTargetTriggers: true})
	if err == nil || !strings.Contains(err.Error(), ".orders: writing rows id=10 through id=30: no writes here") {
		t.Fatalf("want the chunk's key range named, got %v", err)
	}
}
