package engine

import (
	"context"
	"testing"
)

// TestServerRowTextIsUnambiguous plants pairs of rows whose naive row texts
// would collide (a NULL moving to the next column, bytes shifting across a
// separator, a FLOAT differing in its 7th digit, a latin1 0xFF) and checks
// that the server checksums tell every pair apart.
func TestServerRowTextIsUnambiguous(t *testing.T) {
	src, dst := openMySQLT(t), openMySQLT(t)
	ddl := `CREATE TABLE t (id INT NOT NULL PRIMARY KEY, a VARCHAR(10) NULL, b VARCHAR(10) NULL,
		c VARBINARY(10) NULL, d VARBINARY(10) NULL, f FLOAT NULL, l VARCHAR(10) CHARACTER SET latin1 NULL, m VARCHAR(10) CHARACTER SET latin1 NULL) DEFAULT CHARSET=utf8mb4`
	execT(t, src, ddl)
	execT(t, dst, ddl)
	execT(t, src, `INSERT INTO t VALUES
		(1, NULL, 'x', NULL, NULL, NULL, NULL, NULL),
		(2, 'a', '', NULL, NULL, NULL, NULL, NULL),
		(3, NULL, NULL, X'41FF', X'42', NULL, NULL, NULL),
		(4, NULL, NULL, NULL, NULL, 1.0000001, NULL, NULL),
		(5, NULL, NULL, NULL, NULL, NULL, CONVERT(X'61FF' USING latin1), 'b'),
		(6, 'same', 'row', X'00FF', X'', 2.5, 'l', 'm')`)
	execT(t, dst, `INSERT INTO t VALUES
		(1, 'x', NULL, NULL, NULL, NULL, NULL, NULL),
		(2, '', 'a', NULL, NULL, NULL, NULL, NULL),
		(3, NULL, NULL, X'41', X'FF42', NULL, NULL, NULL),
		(4, NULL, NULL, NULL, NULL, 1.0000002, NULL, NULL),
		(5, NULL, NULL, NULL, NULL, NULL, 'a', CONVERT(X'FF62' USING latin1)),
		(6, 'same', 'row', X'00FF', X'', 2.5, 'l', 'm')`)
	res, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{"t"}, Method: MethodServer, ChunkRows: 1})
	if err != nil {
		t.Fatal(err)
	}
	got := diffSet(res.Diffs)
	sameDiffs(t, "row texts", got, map[string]string{
		"1": "different a,b", "2": "different a,b", "3": "different c,d", "4": "different f", "5": "different l,m",
	})
	if res.Tables[0].Method != MethodServer || res.Tables[0].ChunksDiffering != 5 {
		t.Errorf("method %s, %d differing chunks", res.Tables[0].Method, res.Tables[0].ChunksDiffering)
	}

	// Only text columns: the separator must stay a byte string.
	ddl = "CREATE TABLE u (id INT NOT NULL PRIMARY KEY, a VARCHAR(10) NULL, b VARCHAR(10) NOT NULL) DEFAULT CHARSET=utf8mb4"
	execT(t, src, ddl, "INSERT INTO u VALUES (1, NULL, 'é'), (2, 'x', '')")
	execT(t, dst, ddl, "INSERT INTO u VALUES (1, '', 'é'), (2, 'x', '')")
	res, err = Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{"u"}, Method: MethodServer})
	if err != nil {
		t.Fatal(err)
	}
	sameDiffs(t, "text only", diffSet(res.Diffs), map[string]string{"1": "different a"})
}

// Equal rows that one server reads in another order (a MyISAM source scans
// in insertion order, an InnoDB target in key order) are equal: the
// order-blind checksum settles a chunk whose row list differs.
func TestServerChecksumIgnoresReadOrder(t *testing.T) {
	src, dst := openMySQLT(t), openMySQLT(t)
	execT(t, src, "CREATE TABLE r (id INT NOT NULL PRIMARY KEY, v VARCHAR(10)) ENGINE=MyISAM",
		"INSERT INTO r VALUES (5, 'e'), (3, 'c'), (1, 'a'), (4, 'd'), (2, 'b')")
	execT(t, dst, "CREATE TABLE r (id INT NOT NULL PRIMARY KEY, v VARCHAR(10)) ENGINE=InnoDB",
		"INSERT INTO r VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e')")
	res, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{"r"}, Method: MethodServer})
	if err != nil {
		t.Fatal(err)
	}
	if tr := res.Tables[0]; tr.ChunksDiffering != 0 || tr.Rows != 5 {
		t.Fatalf("%d rows, %d differing chunks, want 5 and none", tr.Rows, tr.ChunksDiffering)
	}
}
