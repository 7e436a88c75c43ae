package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

// asciiRows is a table whose ascii text, key included, holds bytes 0x80–0xFF,
// which MariaDB keeps in an ascii column without a word. Read through the
// connection's UTF-8, each such byte came back as '?'.
const asciiRows = `CREATE TABLE a (k VARCHAR(10) CHARACTER SET ascii NOT NULL PRIMARY KEY, s VARCHAR(10) CHARACTER SET ascii NULL, v INT NOT NULL);
INSERT INTO a VALUES (CONCAT('a', CAST(X'E9' AS BINARY)), CONCAT('x', CAST(X'E9' AS BINARY), 'y'), 1), ('b', 'plain', 2),
	(CONCAT('c', CAST(X'FE' AS BINARY)), NULL, 3), ('d', CAST(X'FF80' AS BINARY), 4)`

// hexRows is q's one text column, its values joined by spaces.
func hexRows(t *testing.T, d *DB, q string) string {
	t.Helper()
	return strings.Join(textColumn(t, d, q), " ")
}

// TestCopyASCIIBytesExact: such bytes reach a SQLite and a MySQL target as
// they are, whether sent as prepared parameters or as literals.
func TestCopyASCIIBytesExact(t *testing.T) {
	src := openMySQLT(t)
	execT(t, src, strings.Split(asciiRows, ";\n")...)
	want := hexRows(t, src, "SELECT CONCAT_WS('|', HEX(k), COALESCE(HEX(s), 'NULL'), v) FROM a ORDER BY k")

	lite := openSQLiteT(t, "ascii.db")
	copyT(t, src, lite, CopyOptions{Tables: []string{"a"}, Create: true})
	if got := hexRows(t, lite, "SELECT hex(k) || '|' || CASE WHEN s IS NULL THEN 'NULL' ELSE hex(s) END || '|' || v FROM a ORDER BY CAST(k AS BLOB)"); got != want {
		t.Errorf("SQLite target holds %s, want %s", got, want)
	}
	for _, prepared := range []int{1, 1000} { // every row a parameter; every row a literal
		my := openMySQLT(t)
		copyT(t, src, my, CopyOptions{Tables: []string{"a"}, Create: true, preparedRows: prepared})
		if got := hexRows(t, my, "SELECT CONCAT_WS('|', HEX(k), COALESCE(HEX(s), 'NULL'), v) FROM a ORDER BY k"); got != want {
			t.Errorf("MySQL target (prepared runs of %d) holds %s, want %s", prepared, got, want)
		}
	}
}

// TestVerifyASCIIBytes: two MySQL tables with such bytes, one value and one
// row of a key with such bytes changed: both methods find exactly those,
// in chunks of one row (a key read back as '?' never advanced: verify
// looped), and equal tables pass.
func TestVerifyASCIIBytes(t *testing.T) {
	src, dst := openMySQLT(t), openMySQLT(t)
	execT(t, src, strings.Split(asciiRows, ";\n")...)
	execT(t, dst, strings.Split(asciiRows, ";\n")...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for _, method := range []string{MethodServer, MethodRows} {
		res, err := Verify(ctx, src, dst, VerifyOptions{Tables: []string{"a"}, Method: method, ChunkRows: 1})
		if err != nil || !res.Tables[0].Passed {
			t.Fatalf("%s, equal tables: %v, %+v", method, err, res.Tables)
		}
	}
	execT(t, dst, "UPDATE a SET s = CONCAT('x', CAST(X'EA' AS BINARY), 'y') WHERE v = 1", "UPDATE a SET v = 9 WHERE v = 3")
	for _, method := range []string{MethodServer, MethodRows} {
		res, err := Verify(ctx, src, dst, VerifyOptions{Tables: []string{"a"}, Method: method, ChunkRows: 1})
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		sameDiffs(t, method, diffSet(res.Diffs), map[string]string{"a\xe9": "different s", "c\xfe": "different v"})
	}
}

// TestBitKeyChunks: chunk bounds on a BIT key are numbers. Sent as byte
// strings they were compared as decimal text, with a warning: verify of
// two equal tables stopped (and, before warnings failed closed, looped),
// and a copy in chunks could not page through the key.
func TestBitKeyChunks(t *testing.T) {
	src, dst := openMySQLT(t), openMySQLT(t)
	for _, d := range []*DB{src, dst} {
		execT(t, d, "CREATE TABLE kb (k BIT(16) NOT NULL PRIMARY KEY, v INT NOT NULL)",
			"INSERT INTO kb SELECT seq * 257, seq FROM seq_0_to_40")
	}
	execT(t, dst, "UPDATE kb SET v = -1 WHERE k = 257 * 30")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for _, method := range []string{MethodServer, MethodRows} {
		res, err := Verify(ctx, src, dst, VerifyOptions{Tables: []string{"kb"}, Method: method, ChunkRows: 4})
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		if tr := res.Tables[0]; tr.Rows != 41 || tr.DiffCount != 1 || len(res.Diffs) != 1 || res.Diffs[0].Columns[0] != "v" {
			t.Errorf("%s: %d rows, %d differences (%v), want 41 and one in v", method, tr.Rows, tr.DiffCount, res.Diffs)
		}
	}
	copied := openMySQLT(t)
	res := copyT(t, src, copied, CopyOptions{Tables: []string{"kb"}, Create: true, MaxChunkRows: 4})
	if got := hexRows(t, copied, "SELECT CONCAT(COUNT(*), ' ', SUM(k), ' ', SUM(v)) FROM kb"); got != "41 210740 820" || res.Tables[0].Chunks < 10 {
		t.Errorf("copy in %d chunks: count, sum of keys and values %q, want 41 210820 820", res.Tables[0].Chunks, got)
	}
}
