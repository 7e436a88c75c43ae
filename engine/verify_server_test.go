package engine

import (
	"context"
	"strings"
	"testing"

	"runway/engine/enginetest"

	"github.com/go-sql-driver/mysql"
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

// TestServerListTellsRowsApart checks the whole-text list of a chunk of
// several rows: rows whose texts, joined without a boundary, would read
// the same (a byte moving from one row's last column into the next row's
// key) are told apart, as are byte strings holding the separators, and an
// equal chunk still matches. The keys have two columns, so that chunks are
// cut by counting two source rows each rather than by key span.
func TestServerListTellsRowsApart(t *testing.T) {
	src, dst := openMySQLT(t), openMySQLT(t)
	ddl := "CREATE TABLE k (id INT NOT NULL, g INT NOT NULL, a VARCHAR(10) NOT NULL, PRIMARY KEY (id, g))"
	execT(t, src, ddl, "INSERT INTO k VALUES (1, 1, 'x'), (12, 1, 'y'), (30, 1, 'same'), (31, 1, 'rows')")
	execT(t, dst, ddl, "INSERT INTO k VALUES (1, 1, 'x1'), (2, 1, 'y'), (30, 1, 'same'), (31, 1, 'rows')")
	ddl = "CREATE TABLE j (id INT NOT NULL, g INT NOT NULL, c VARBINARY(10) NULL, PRIMARY KEY (id, g))"
	execT(t, src, ddl, "INSERT INTO j VALUES (20, 1, X'FE3231FF71'), (21, 1, NULL), (30, 1, X'FEFF'), (31, 1, NULL)")
	execT(t, dst, ddl, "INSERT INTO j VALUES (20, 1, X'FE'), (21, 1, X'3231FF71'), (30, 1, X'FEFF'), (31, 1, NULL)")
	for table, want := range map[string]map[string]string{
		"k": {"1,1": "different a", "2,1": "extra", "12,1": "missing"},
		"j": {"20,1": "different c", "21,1": "different c"},
	} {
		res, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{table}, Method: MethodServer, ChunkRows: 2})
		if err != nil {
			t.Fatal(err)
		}
		sameDiffs(t, "joined rows of "+table, diffSet(res.Diffs), want)
		if tr := res.Tables[0]; tr.ChunksDiffering != 1 {
			t.Errorf("%s: %d chunks differing, want 1 (the second is equal)", table, tr.ChunksDiffering)
		}
	}
}

// TestServerListTooLongFallsBack verifies with a list limit a chunk's row
// texts overflow: the server cuts the list short, the cut is noticed (a cut
// list must never pass a chunk), and the chunks are settled by the
// order-blind checksum, then by each row's hash: equal chunks pass, the one
// changed row is found.
func TestServerListTooLongFallsBack(t *testing.T) {
	src, dst := openMySQLT(t), openMySQLT(t)
	ddl := "CREATE TABLE w (id INT NOT NULL PRIMARY KEY, v VARCHAR(40) NOT NULL)"
	rows := "INSERT INTO w SELECT seq, CONCAT('value number ', seq) FROM seq_1_to_300"
	execT(t, src, ddl, rows)
	execT(t, dst, ddl, rows, "UPDATE w SET v = 'value number 250!' WHERE id = 250")

	ctx := context.Background()
	tb, err := src.Table(ctx, "w")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := src.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	expr := src.dialect.checksums().rowText(src, tb, tb.Copied(), map[string]bool{"v": true})
	for _, l := range []chunkList{{whole: true, maxBytes: 100}, {whole: true, maxBytes: 1 << 20}, {whole: false, maxBytes: 1 << 20}} {
		s, ok, err := serverChunkList(ctx, src, conn, tb, expr, nil, nil, "", l)
		if err != nil {
			t.Fatal(err)
		}
		if want := l.maxBytes > 100; ok != want || s.rows != 300 {
			t.Errorf("list %+v: %d rows, complete %v, want 300 and %v", l, s.rows, ok, want)
		}
	}

	res, err := Verify(ctx, src, dst, VerifyOptions{Tables: []string{"w"}, Method: MethodServer, ChunkRows: 100, listBytes: 100})
	if err != nil {
		t.Fatal(err)
	}
	sameDiffs(t, "cut lists", diffSet(res.Diffs), map[string]string{"250": "different v"})
	if tr := res.Tables[0]; tr.Rows != 300 || tr.ChunksDiffering != 1 {
		t.Errorf("%d rows, %d differing chunks, want 300 and 1", tr.Rows, tr.ChunksDiffering)
	}
}

// TestServerChunkRowsFollowRowLength: without --chunk-rows, a MySQL verify
// sizes chunks to about listChunkBytes of row text, from InnoDB's average
// row length, within 10,000 and 100,000 rows.
func TestServerChunkRowsFollowRowLength(t *testing.T) {
	d := openMySQLT(t)
	execT(t, d, "CREATE TABLE narrow (id INT NOT NULL PRIMARY KEY)",
		"INSERT INTO narrow SELECT seq FROM seq_1_to_2000",
		"CREATE TABLE wide (id INT NOT NULL PRIMARY KEY, v VARCHAR(3000) NOT NULL) DEFAULT CHARSET=latin1",
		"INSERT INTO wide SELECT seq, REPEAT('w', 2900) FROM seq_1_to_2000",
		"CREATE TABLE empty (id INT NOT NULL PRIMARY KEY)",
		"ANALYZE TABLE narrow, wide, empty")
	ctx := context.Background()
	for table, want := range map[string]int{"narrow": serverChunkRows, "wide": rowsChunkRows, "empty": rowsChunkRows} {
		if got := d.dialect.checksums().chunkRows(ctx, d, table); got != want {
			t.Errorf("%s: %d rows a chunk, want %d", table, got, want)
		}
	}
}

// TestServerChecksumWarningFailsClosed: a row text the server cannot build
// (longer than max_allowed_packet) is NULL with a warning, and aggregates
// skip NULLs, so such a row would pass whatever it holds. Here row 7's
// text is made NULL with a warning on both sides, as an overflow does, and
// row 7 differs: verify must fail and say why, not pass the table.
func TestServerChecksumWarningFailsClosed(t *testing.T) {
	src, dst := openMySQLT(t), openMySQLT(t)
	ddl := "CREATE TABLE o (id INT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL)"
	execT(t, src, ddl, "INSERT INTO o SELECT seq, CONCAT('v', seq) FROM seq_1_to_20")
	execT(t, dst, ddl, "INSERT INTO o SELECT seq, CONCAT('v', seq) FROM seq_1_to_20", "UPDATE o SET v = 'changed' WHERE id = 7")
	overflow := func(expr string) string {
		return "IF(id = 7, NULLIF(CAST('1x' AS UNSIGNED), 1), " + expr + ")" // NULL, with warning 1292
	}
	for _, chunk := range []int{5, 100} {
		res, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{"o"}, Method: MethodServer,
			ChunkRows: chunk, rowText: overflow})
		if err == nil || !strings.Contains(err.Error(), "the server warned while checksumming (1292") {
			t.Errorf("chunks of %d: err = %v, want the server's warning (result %+v)", chunk, err, res.Tables)
		}
	}
}

// TestServerTextInASCIIIsFramed: MariaDB stores bytes 0x80–0xFF in an
// ascii column without a warning, so an ascii value can hold the row texts'
// separators. Unframed, a 0xFE in a value read as a row boundary (the
// source rows 1 and 3 and the target rows 1 and 2 joined to the same
// bytes) and an 0xFF as a column boundary; ascii text is length-prefixed.
func TestServerTextInASCIIIsFramed(t *testing.T) {
	src, dst := openMySQLT(t), openMySQLT(t)
	fe, ff := "CAST(X'FE' AS BINARY)", "CAST(X'FF' AS BINARY)"
	ddl := "CREATE TABLE a (id INT NOT NULL PRIMARY KEY, s VARCHAR(20) CHARACTER SET ascii NOT NULL)"
	execT(t, src, ddl, "INSERT INTO a VALUES (1, CONCAT('p', "+fe+", '2', "+ff+", 'q')), (3, 'r')")
	execT(t, dst, ddl, "INSERT INTO a VALUES (1, 'p'), (2, CONCAT('q', "+fe+", '3', "+ff+", 'r'))")
	ddl = "CREATE TABLE b (id INT NOT NULL PRIMARY KEY, s VARCHAR(20) CHARACTER SET ascii NOT NULL, u VARCHAR(20) CHARACTER SET ascii NOT NULL)"
	execT(t, src, ddl, "INSERT INTO b VALUES (1, CONCAT('x', "+ff+", 'y'), 'z')")
	execT(t, dst, ddl, "INSERT INTO b VALUES (1, 'x', CONCAT('y', "+ff+", 'z'))")
	for table, want := range map[string]map[string]string{
		"a": {"1": "different s", "2": "extra", "3": "missing"},
		"b": {"1": "different s,u"},
	} {
		res, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{table}, Method: MethodServer, ChunkRows: 100})
		if err != nil {
			t.Fatal(err)
		}
		sameDiffs(t, "ascii bytes in "+table, diffSet(res.Diffs), want)
	}
}

// TestServerListCutSeenWithoutKeptWarnings: a server that keeps no
// warnings (max_error_count = 0, here set for the connections) would hide
// GROUP_CONCAT's "Row N was cut", and a list cut short would pass the rows
// past the cut. The list's session keeps them, and a warning counted but
// not kept fails closed.
func TestServerListCutSeenWithoutKeptWarnings(t *testing.T) {
	srcDSN, _ := enginetest.MySQL(t)
	dstDSN, _ := enginetest.MySQL(t)
	ddl := "CREATE TABLE w (id INT NOT NULL PRIMARY KEY, v VARCHAR(40) NOT NULL)"
	rows := "INSERT INTO w SELECT seq, CONCAT('value number ', seq) FROM seq_1_to_300"
	execT(t, openMySQLDSNT(t, srcDSN), ddl, rows)
	execT(t, openMySQLDSNT(t, dstDSN), ddl, rows, "UPDATE w SET v = 'value number 250!' WHERE id = 250")
	src := openMySQLDSNT(t, withDSNParam(t, srcDSN, "max_error_count", "0"))
	dst := openMySQLDSNT(t, withDSNParam(t, dstDSN, "max_error_count", "0"))
	res, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{"w"}, Method: MethodServer, ChunkRows: 1000, listBytes: 100})
	if err != nil {
		t.Fatal(err)
	}
	sameDiffs(t, "cut lists, no warnings kept", diffSet(res.Diffs), map[string]string{"250": "different v"})
}

// withDSNParam is dsn with a session variable set on every connection.
func withDSNParam(t *testing.T, dsn, name, value string) string {
	t.Helper()
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	cfg.Params[name] = value
	return cfg.FormatDSN()
}
