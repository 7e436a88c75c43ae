package engine

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
)

// The planted differences: every kind a verify must find, on a table whose
// source ids are even (so odd ids can be extra rows in the middle).
const plantRows = 3000

func plantDDL(d *DB, keyed bool) string {
	if d.Driver() == Postgres {
		cols := `id BIGINT NOT NULL, amount NUMERIC(12,2) NOT NULL, note VARCHAR(100), created TIMESTAMP(6) NOT NULL, payload BYTEA`
		if keyed {
			return `CREATE TABLE t (` + cols + `, PRIMARY KEY (id))`
		}
		return `CREATE TABLE t (` + cols + `); CREATE INDEX t_id ON t (id)`
	}
	if d.Driver() == MySQL {
		key := "PRIMARY KEY (id)"
		if !keyed {
			key = "KEY (id)"
		}
		return `CREATE TABLE t (id BIGINT NOT NULL, amount DECIMAL(12,2) NOT NULL, note VARCHAR(100) NULL,
			created DATETIME(6) NOT NULL, payload BLOB NULL, ` + key + `) DEFAULT CHARSET=utf8mb4`
	}
	if keyed {
		return `CREATE TABLE t (id INTEGER PRIMARY KEY, amount DECIMAL(12,2) NOT NULL, note VARCHAR(100),
			created DATETIME(6) NOT NULL, payload BLOB)`
	}
	return `CREATE TABLE t (id INTEGER NOT NULL, amount DECIMAL(12,2) NOT NULL, note VARCHAR(100),
		created DATETIME(6) NOT NULL, payload BLOB); CREATE INDEX t_id ON t (id)`
}

// plantSourceRows are the source rows as SQL literals both engines read.
func plantSourceRows(d *DB) []string {
	var rows []string
	for i := 1; i <= plantRows; i++ {
		id := 2 * i
		amount := fmt.Sprintf("'%d.%02d'", (i*7919)%100000, i%100)
		if id == 402 || id == 404 { // two rows of one chunk with the same amount
			amount = "'77.70'"
		}
		note := fmt.Sprintf("'note #%d it''s'", i)
		switch {
		case id == 1000:
			note = "NULL"
		case id == 1002:
			note = "''"
		case i%10 == 0:
			note = "NULL"
		case i%17 == 0:
			note = "''"
		}
		payload := fmt.Sprintf("X'%02x00ff%02x'", i%256, (i*13)%256)
		if d != nil && d.Driver() == Postgres {
			payload = fmt.Sprintf(`'\x%02x00ff%02x'::bytea`, i%256, (i*13)%256)
		}
		if i%8 == 0 {
			payload = "NULL"
		}
		created := fmt.Sprintf("'2023-01-%02d %02d:%02d:%02d.%06d'", 1+i%28, i%24, i%60, (i*7)%60, (i*7919)%1000000)
		rows = append(rows, fmt.Sprintf("(%d, %s, %s, %s, %s)", id, amount, note, created, payload))
	}
	return rows
}

func createPlantSource(t *testing.T, d *DB) {
	t.Helper()
	execSplit(t, d, plantDDL(d, true))
	rows := plantSourceRows(d)
	for len(rows) > 0 {
		n := min(500, len(rows))
		execT(t, d, "INSERT INTO t (id, amount, note, created, payload) VALUES "+strings.Join(rows[:n], ","))
		rows = rows[n:]
	}
}

// fillTarget creates the target table and inserts every source row, as read
// by the engine, with plain INSERTs (so a keyless target works too).
func fillTarget(t *testing.T, src, dst *DB, keyed bool) {
	t.Helper()
	ctx := context.Background()
	execSplit(t, dst, plantDDL(dst, keyed))
	st, err := src.Table(ctx, "t")
	if err != nil {
		t.Fatal(err)
	}
	b := NewBatch(len(st.Copied()))
	if _, err := src.ReadChunk(ctx, nil, Read{Table: st}, b); err != nil {
		t.Fatal(err)
	}
	dt, err := dst.describe(ctx, "t")
	if err != nil {
		t.Fatal(err)
	}
	up := dst.NewUpserter(ctx, dt, []string{"id", "amount", "note", "created", "payload"}, []string{"id"})
	up.suffix = ""
	if err := up.Write(ctx, dst.SQL(), b); err != nil {
		t.Fatal(err)
	}
}

func execSplit(t *testing.T, d *DB, stmts string) {
	t.Helper()
	for _, s := range strings.Split(stmts, ";") {
		if strings.TrimSpace(s) != "" {
			execT(t, d, s)
		}
	}
}

// plant changes the target and the source so that exactly wantPlanted differs.
func plant(t *testing.T, src, dst *DB, keyed bool) map[string]string {
	t.Helper()
	execT(t, dst,
		"UPDATE t SET amount = amount + 1 WHERE id IN (100, 4200)",                                                                // changed values, in two chunks
		"UPDATE t SET amount = amount + 1 WHERE id IN (402, 404)",                                                                 // equal changes in two rows of one chunk
		"UPDATE t SET note = '' WHERE id = 1000",                                                                                  // NULL on the source, empty on the target
		"UPDATE t SET note = NULL WHERE id = 1002",                                                                                // empty on the source, NULL on the target
		"DELETE FROM t WHERE id = 1234",                                                                                           // missing
		"INSERT INTO t (id, amount, note, created, payload) VALUES (1501, '1.00', 'x', '2023-01-01 00:00:00', NULL)",              // extra, in the middle
		"INSERT INTO t (id, amount, note, created, payload) VALUES (9001, '2.00', NULL, '2023-01-01 00:00:00', "+blob(dst, 1)+")", // extra, after the last source key
		"INSERT INTO t (id, amount, note, created, payload) VALUES (-5, '3.00', NULL, '2023-01-01 00:00:00.5', "+blob(dst, 2)+")", // extra, before the first
	)
	want := map[string]string{
		"100": "different amount", "4200": "different amount", "402": "different amount", "404": "different amount",
		"1000": "different note", "1002": "different note",
		"1234": "missing", "1501": "extra", "9001": "extra", "-5": "extra",
	}
	if !keyed {
		// a duplicated key: the same row twice on the target
		execT(t, dst, "INSERT INTO t SELECT * FROM t WHERE id = 2000")
		want["2000"] = "duplicate"
	}
	return want
}

// blob is a literal of n zero bytes for d.
func blob(d *DB, n int) string { return d.Literal(Value{Kind: KindBytes, B: make([]byte, n)}) }

func diffSet(ds []RowDiff) map[string]string {
	got := map[string]string{}
	for _, d := range ds {
		s := string(d.Type)
		if len(d.Columns) > 0 {
			s += " " + strings.Join(d.Columns, ",")
		}
		got[strings.Join(d.Key, ",")] = s
	}
	return got
}

func sameDiffs(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	var bad []string
	for k, w := range want {
		if got[k] != w {
			bad = append(bad, fmt.Sprintf("key %s: want %q, got %q", k, w, got[k]))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			bad = append(bad, fmt.Sprintf("key %s: unexpected %q", k, g))
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Errorf("%s:\n  %s", what, strings.Join(bad, "\n  "))
	}
}

// checkPlanted verifies, checks that exactly the planted differences are
// found, repairs, and checks that a fresh verify finds nothing.
func checkPlanted(t *testing.T, src, dst *DB, keyed bool, method string) {
	t.Helper()
	ctx := context.Background()
	want := plant(t, src, dst, keyed)
	opts := VerifyOptions{Tables: []string{"t"}, ChunkRows: 200, Method: method}
	res, err := Verify(ctx, src, dst, opts)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	tr := res.Tables[0]
	sameDiffs(t, "differences found", diffSet(tr.Diffs), want)
	extra := int64(3)
	if !keyed {
		extra = 4
	}
	if tr.Rows != plantRows || tr.Missing != 1 || tr.Different != 6 || tr.Extra != extra || tr.DiffCount != 7+extra {
		t.Errorf("counts: rows %d missing %d different %d extra %d diffs %d", tr.Rows, tr.Missing, tr.Different, tr.Extra, tr.DiffCount)
	}
	wantRate := float64(plantRows-7) / float64(plantRows+extra)
	if tr.MatchRate != wantRate || res.Passed || tr.Passed {
		t.Errorf("match rate %v (want %v), passed %v", tr.MatchRate, wantRate, res.Passed)
	}
	if tr.Chunks < plantRows/200 || tr.ChunksDiffering == 0 {
		t.Errorf("chunks %d, differing %d", tr.Chunks, tr.ChunksDiffering)
	}
	// A threshold below the rate passes.
	opts.MinMatch = 0.99
	if res, err := Verify(ctx, src, dst, opts); err != nil || !res.Passed {
		t.Errorf("min_match 0.99: passed %v, err %v", res.Passed, err)
	}

	opts.MinMatch = 0
	opts.Repair = true
	res, err = Verify(ctx, src, dst, opts)
	if err != nil {
		t.Fatalf("verify with repair: %v", err)
	}
	tr = res.Tables[0]
	if tr.DiffCount != 7+extra || tr.Repaired != 7+extra || tr.Remaining != 0 || !res.Passed || tr.MatchRate != 1 {
		t.Errorf("repair: found %d, repaired %d, remaining %d (%v), passed %v, rate %v", tr.DiffCount, tr.Repaired, tr.Remaining, tr.RemainingDiffs, res.Passed, tr.MatchRate)
	}
	opts.Repair = false
	res, err = Verify(ctx, src, dst, opts)
	if err != nil || !res.Passed || res.DiffCount != 0 || res.Rows != plantRows || res.MatchRate != 1 {
		t.Errorf("after repair: passed %v, %d differences %v, rows %d, err %v", res.Passed, res.DiffCount, res.Diffs, res.Rows, err)
	}
}

func TestVerifyPlantedMySQLToMySQL(t *testing.T) {
	for _, tc := range []struct {
		name   string
		keyed  bool
		method string
	}{{"server keyed", true, ""}, {"server keyless target", false, ""}, {"rows keyed", true, MethodRows}} {
		t.Run(tc.name, func(t *testing.T) {
			src, dst := openMySQLT(t), openMySQLT(t)
			createPlantSource(t, src)
			fillTarget(t, src, dst, tc.keyed)
			if tc.method == "" {
				// the planted set is found by the server method
				tv := &tableVerify{src: src, dst: dst, name: "t", opts: verifyDefaults(VerifyOptions{})}
				if err := tv.setup(context.Background()); err != nil || tv.method != MethodServer {
					t.Fatalf("method %q, err %v", tv.method, err)
				}
			}
			checkPlanted(t, src, dst, tc.keyed, tc.method)
		})
	}
}

func TestVerifyPlantedSQLiteToSQLite(t *testing.T) {
	for _, keyed := range []bool{true, false} {
		t.Run(fmt.Sprint("keyed=", keyed), func(t *testing.T) {
			src, dst := openSQLiteT(t, "src"), openSQLiteT(t, "dst")
			createPlantSource(t, src)
			fillTarget(t, src, dst, keyed)
			checkPlanted(t, src, dst, keyed, "")
		})
	}
}

func TestVerifyPlantedMySQLToSQLite(t *testing.T) {
	for _, keyed := range []bool{true, false} {
		t.Run(fmt.Sprint("keyed=", keyed), func(t *testing.T) {
			src, dst := openMySQLT(t), openSQLiteT(t, "dst")
			createPlantSource(t, src)
			fillTarget(t, src, dst, keyed)
			checkPlanted(t, src, dst, keyed, "")
		})
	}
}

func TestVerifyPlantedSQLiteToMySQL(t *testing.T) {
	src, dst := openSQLiteT(t, "src"), openMySQLT(t)
	createPlantSource(t, src)
	fillTarget(t, src, dst, true)
	checkPlanted(t, src, dst, true, "")
}
