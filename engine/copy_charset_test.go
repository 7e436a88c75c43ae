package engine

import (
	"context"
	"testing"
)

// TestCopyTextBytesByCharset copies text to a MySQL target whose columns are
// all UTF-8 (values sent as binary strings, unconverted) and to one with a
// latin1 column (values converted by the server), every value as a prepared
// statement's parameter, and compares the stored bytes with the source's.
func TestCopyTextBytesByCharset(t *testing.T) {
	ctx := context.Background()
	src := openMySQLT(t)
	execT(t, src,
		`CREATE TABLE utf (id INT PRIMARY KEY, s VARCHAR(40), c CHAR(8), e ENUM('a','b c','É'), b BLOB, v VARCHAR(10) CHARACTER SET utf8mb3) DEFAULT CHARSET=utf8mb4`,
		`INSERT INTO utf VALUES (1, 'emoji 🙂🚀 héllo 中文', 'ÄÖÜ', 'É', X'00FFC3', 'señor'), (2, '', '', 'b c', X'', ''),
			(3, 'nul\0inside', 'a', 'a', NULL, NULL)`,
		`CREATE TABLE lat (id INT PRIMARY KEY, s VARCHAR(40), l VARCHAR(20) CHARACTER SET latin1) DEFAULT CHARSET=utf8mb4`,
		`INSERT INTO lat VALUES (1, 'emoji 🙂', 'héllo ÿ'), (2, 'x', '')`,
	)
	dst := openMySQLT(t)
	// one row per prepared statement: every value goes as a parameter
	copyT(t, src, dst, CopyOptions{Tables: []string{"utf", "lat"}, Create: true, preparedRows: 1})

	for table, wantRaw := range map[string]bool{"utf": true, "lat": false} {
		dt, err := dst.Table(ctx, table)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range dt.Columns {
			names = append(names, c.Name)
		}
		if got := utf8Target(dt, names); got != wantRaw {
			t.Errorf("%s: values sent unconverted = %v, want %v", table, got, wantRaw)
		}
		q := "SELECT CONCAT_WS('|', id, HEX(s), HEX(c), HEX(e), HEX(b), HEX(v)) FROM utf ORDER BY id"
		if table == "lat" {
			q = "SELECT CONCAT_WS('|', id, HEX(s), HEX(l)) FROM lat ORDER BY id"
		}
		want, got := textColumn(t, src, q), textColumn(t, dst, q)
		if len(want) != len(got) {
			t.Fatalf("%s: %d rows on the source, %d on the target", table, len(want), len(got))
		}
		for i := range want {
			if want[i] != got[i] {
				t.Errorf("%s row %d: stored bytes differ\nsource %s\ntarget %s", table, i+1, want[i], got[i])
			}
		}
	}
}
