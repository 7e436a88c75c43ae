package engine

import (
	"context"
	"fmt"
	"testing"
)

// Every planted difference is found, repaired and gone, for each pair with
// PostgreSQL on one side (the canonical comparison in Go).
func TestVerifyPlantedPostgres(t *testing.T) {
	open := map[string]func(t *testing.T) *DB{
		"postgres": func(t *testing.T) *DB { return openPostgresT(t) },
		"mysql":    func(t *testing.T) *DB { return openMySQLT(t) },
		"sqlite":   func(t *testing.T) *DB { return openSQLiteT(t, "db") },
	}
	for _, tc := range []struct {
		src, dst string
		keyed    bool
		method   string
	}{
		{"postgres", "postgres", true, MethodServer}, {"postgres", "postgres", false, ""}, {"postgres", "postgres", true, MethodRows},
		{"mysql", "postgres", true, ""}, {"postgres", "mysql", true, ""},
		{"sqlite", "postgres", true, ""}, {"postgres", "sqlite", true, ""},
	} {
		t.Run(fmt.Sprintf("%s->%s keyed=%v %s", tc.src, tc.dst, tc.keyed, tc.method), func(t *testing.T) {
			src, dst := open[tc.src](t), open[tc.dst](t)
			createPlantSource(t, src)
			fillTarget(t, src, dst, tc.keyed)
			if tc.method == MethodServer { // chosen by itself between PostgreSQL databases
				tv := &tableVerify{src: src, dst: dst, name: "t", opts: verifyDefaults(VerifyOptions{})}
				if err := tv.setup(context.Background()); err != nil || tv.method != MethodServer {
					t.Fatalf("method %q, err %v", tv.method, err)
				}
			}
			checkPlanted(t, src, dst, tc.keyed, tc.method)
		})
	}
}

// Server checksums between PostgreSQL databases see a change in any
// column of any type, and nothing after an exact copy.
func TestPostgresServerChecksumsEveryType(t *testing.T) {
	ctx := context.Background()
	src, dst := openPostgresT(t), openPostgresT(t)
	execT(t, src, everyPostgresType...)
	copyT(t, src, dst, CopyOptions{Tables: []string{"Every Type"}, Create: true})
	opts := VerifyOptions{Tables: []string{"Every Type"}, Method: MethodServer}
	res, err := Verify(ctx, src, dst, opts)
	if err != nil || !res.Passed || res.Rows != 4 {
		t.Fatalf("after copy: passed %v, rows %d, diffs %v, err %v", res.Passed, res.Rows, res.Diffs, err)
	}
	execT(t, dst,
		`UPDATE "Every Type" SET r = 3.4028233e38 WHERE id = 1`,
		`UPDATE "Every Type" SET jb = '{"a": [true], "b": 2}' WHERE id = 1`,
		`UPDATE "Every Type" SET b = '\x00ff00' WHERE id = 1`,
		`UPDATE "Every Type" SET tz = tz + interval '1 microsecond' WHERE id = 2`,
		`UPDATE "Every Type" SET t = NULL WHERE id = 2`,
		`UPDATE "Every Type" SET v = 'x|' WHERE id = 4`)
	res, err = Verify(ctx, src, dst, opts)
	if err != nil {
		t.Fatal(err)
	}
	sameDiffs(t, "changes found", diffSet(res.Tables[0].Diffs), map[string]string{
		"1": "different r,b,jb", "2": "different t,tz", "4": "different v"})
}

// Catch-up from PostgreSQL follows a table with a composite key (logged as
// a JSON array) holding bytes and text, key changes included.
func TestPostgresCatchupCompositeKey(t *testing.T) {
	ctx := context.Background()
	src, dst := openPostgresT(t), openSQLiteT(t, "dst")
	execT(t, src, `CREATE TABLE "Pairs" (region text NOT NULL, tag bytea NOT NULL, n int, PRIMARY KEY (region, tag))`,
		`INSERT INTO "Pairs" VALUES ('eu', '\x00ff', 1), ('us "x"', '\x01', 2), ('eu', '\x02', 3)`)
	if n, err := InstallTriggers(ctx, src, "change_log", []string{"Pairs"}); err != nil || n != 3 {
		t.Fatalf("install triggers: %d, %v", n, err)
	}
	if _, err := MarkCatchupStart(ctx, src, dst, "change_log", ""); err != nil {
		t.Fatal(err)
	}
	copyT(t, src, dst, CopyOptions{Tables: []string{"Pairs"}, Create: true})
	execT(t, src, `UPDATE "Pairs" SET n = 10 WHERE region = 'eu' AND tag = '\x00ff'`,
		`UPDATE "Pairs" SET region = 'asia' WHERE tag = '\x01'`,
		`DELETE FROM "Pairs" WHERE tag = '\x02'`,
		`INSERT INTO "Pairs" VALUES ('eu', '\x03', 4)`)
	res, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained})
	if err != nil || !res.Drained || res.Applied != 5 {
		t.Fatalf("drain: %+v, %v", res, err)
	}
	verifyNoDiffs(t, src, dst, "Pairs")
	if n := countT(t, dst, "Pairs"); n != 3 {
		t.Errorf("target holds %d rows, want 3", n)
	}
	if n, err := RemoveTriggers(ctx, src, "change_log", nil); err != nil || n != 3 {
		t.Errorf("remove triggers: %d, %v", n, err)
	}
	if n := countT(t, src, "change_log"); n != 5 {
		t.Errorf("change log holds %d rows, want 5", n)
	}
	var fns int
	src.SQL().QueryRow(`SELECT COUNT(*) FROM pg_proc WHERE proname LIKE 'runway\_%'`).Scan(&fns)
	if fns != 0 {
		t.Errorf("%d trigger functions left after removal", fns)
	}
}

// Compare matches a MySQL answer with a PostgreSQL one as an application
// reads them: 12.50 is 12.5, a timestamp its text, true is 1.
func TestPostgresCompareWithMySQL(t *testing.T) {
	ctx := context.Background()
	m, p := openMySQLT(t), openPostgresT(t)
	execT(t, m, "CREATE TABLE o (id INT PRIMARY KEY, amount DECIMAL(10,2), at DATETIME(3), paid TINYINT(1))",
		"INSERT INTO o VALUES (1, 12.50, '2024-01-01 10:00:00.250', 1), (2, 3.00, '2024-01-02 00:00:00', 0), (3, 1.00, NULL, 1)")
	execT(t, p, "CREATE TABLE o (id int PRIMARY KEY, amount numeric(12,4), at timestamp(6), paid boolean)",
		"INSERT INTO o VALUES (1, 12.5, '2024-01-01 10:00:00.25', true), (2, 3, '2024-01-02 00:00:00', false), (3, 1.01, NULL, true)")
	res, err := Compare(ctx, m, p, CompareOptions{OldQuery: "SELECT id, amount, at, paid FROM o", NewQuery: "SELECT id, amount, at, paid FROM o", Key: []string{"id"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Matched != 2 || res.Different != 1 || len(res.Diffs) != 1 || res.Diffs[0].Key[0] != "3" {
		t.Errorf("compare: %+v", res)
	}
}

// Chunks cut by key span on PostgreSQL find every planted difference.
func TestPostgresVerifyBySpan(t *testing.T) {
	verifyBySpan(t, openPostgresT(t), openPostgresT(t))
}

// A sampled verify between PostgreSQL databases checks a share of the
// chunks and finds the changes in them.
func TestPostgresVerifySampled(t *testing.T) {
	src, dst := openPostgresT(t), openPostgresT(t)
	createPlantSource(t, src)
	fillTarget(t, src, dst, true)
	execT(t, dst, "UPDATE t SET note = 'changed' WHERE id % 100 = 2")
	res, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{"t"}, ChunkRows: 50, Sample: 0.25})
	if err != nil {
		t.Fatal(err)
	}
	tr := res.Tables[0]
	if tr.ChunksChecked == 0 || tr.ChunksChecked >= tr.Chunks || tr.DiffCount == 0 || tr.DiffCount > int64(tr.ChunksChecked) || res.Passed {
		t.Errorf("chunks %d, checked %d, differences %d, passed %v", tr.Chunks, tr.ChunksChecked, tr.DiffCount, res.Passed)
	}
}

// A DATE is the same day on both sides: MySQL sends its text, PostgreSQL a
// time at midnight, and a compare keyed by the day must still match.
func TestPostgresCompareDateKeyWithMySQL(t *testing.T) {
	ctx := context.Background()
	m, p := openMySQLT(t), openPostgresT(t)
	execT(t, m, "CREATE TABLE o (id INT PRIMARY KEY, at DATETIME(6), d DATE)",
		"INSERT INTO o VALUES (1, '2024-03-31 02:30:00', '2024-03-31'), (2, '2024-03-31 23:00:00', '2024-02-29'), (3, '2024-04-01 00:00:00', NULL)")
	execT(t, p, "CREATE TABLE o (id int PRIMARY KEY, at timestamp(6), d date)",
		"INSERT INTO o VALUES (1, '2024-03-31 02:30:00', '2024-03-31'), (2, '2024-03-31 23:00:00', '2024-02-29'), (3, '2024-04-01 00:00:00', NULL)")
	res, err := Compare(ctx, m, p, CompareOptions{
		OldQuery: "SELECT DATE(at) AS day, COUNT(*) AS n, MAX(d) AS d FROM o GROUP BY DATE(at)",
		NewQuery: "SELECT at::date AS day, COUNT(*) AS n, MAX(d) AS d FROM o GROUP BY at::date",
		Key:      []string{"day"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Matched != 2 || res.Missing != 0 || res.Extra != 0 || res.Different != 0 {
		t.Errorf("compare by day: %+v", res)
	}
}

// The list checksum of a chunk follows the key, not the order of the rows'
// places in the table: two tables holding the same rows, one of them
// written backwards, have the same list even where the server scans them.
func TestPostgresListInKeyOrder(t *testing.T) {
	ctx := context.Background()
	var lists []chunkSum
	for _, order := range []string{"1, 500", "500, 1, -1"} {
		d := openPostgresT(t)
		execT(t, d, "CREATE TABLE r (id int PRIMARY KEY, v text)",
			"INSERT INTO r SELECT g, 'v' || g FROM generate_series("+order+") g")
		tb, err := d.Table(ctx, "r")
		if err != nil {
			t.Fatal(err)
		}
		conn, err := d.SQL().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		expr := d.dialect.checksums().rowText(d, tb, tb.Copied(), nil)
		s, ok, err := serverChunkList(ctx, d, conn, tb, expr, nil, nil, "", chunkList{whole: true, maxBytes: listMaxBytes})
		conn.Close()
		if err != nil || !ok || s.rows != 500 {
			t.Fatalf("list of %s: %+v, %v, %v", order, s, ok, err)
		}
		lists = append(lists, s)
	}
	if lists[0] != lists[1] {
		t.Errorf("the same rows, listed %s and %s", lists[0].sum, lists[1].sum)
	}
}
