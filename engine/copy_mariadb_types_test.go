package engine

import (
	"context"
	"testing"
)

// mariaDBT skips t unless d is MariaDB (10.7 or later for UUID and INET6).
func mariaDBT(t *testing.T, d *DB) {
	t.Helper()
	if !d.isMariaDB(context.Background()) {
		t.Skip("needs MariaDB's UUID and INET6 types")
	}
}

// TestCopyMariaDBUUIDAndINET6 copies MariaDB UUID and INET6 columns, every
// value as a prepared statement's parameter, and compares the stored values
// with the source's. A binary string parameter of 16 bytes is taken by
// MariaDB as the raw form of such a value: the INET6 text
// 'fe80::11:1001:11', 16 characters, was stored as
// 6665:3830:3a3a:3131:3a31:3030:313a:3131 and the copy said it had copied
// the table; a UUID's 36 characters were refused ("Incorrect uuid value").
func TestCopyMariaDBUUIDAndINET6(t *testing.T) {
	src := openMySQLT(t)
	mariaDBT(t, src)
	execT(t, src,
		`CREATE TABLE addr (id UUID PRIMARY KEY, ip INET6, n INT)`,
		`INSERT INTO addr VALUES
			('00000001-1234-4abc-8def-000000001eef', 'fe80::11:1001:11', 1),
			('123e4567-e89b-12d3-a456-426614174000', '2001:db8::1:2:34', 2),
			('ffffffff-0000-1000-8000-000000000001', '::ffff:10.0.0.1', 3),
			('00000000-0000-0000-0000-000000000000', NULL, 4)`,
	)
	want := textColumn(t, src, "SELECT CONCAT_WS('|', id, COALESCE(ip, '-'), n) FROM addr ORDER BY n")
	for _, prepared := range []int{1, 0} {
		dst := openMySQLT(t)
		copyT(t, src, dst, CopyOptions{Tables: []string{"addr"}, Create: true, preparedRows: prepared})
		got := textColumn(t, dst, "SELECT CONCAT_WS('|', id, COALESCE(ip, '-'), n) FROM addr ORDER BY n")
		if len(got) != len(want) {
			t.Fatalf("prepared %d: %d rows on the target, want %d", prepared, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("prepared %d row %d: target holds %s, source %s", prepared, i+1, got[i], want[i])
			}
		}
		verifyNoDiffs(t, src, dst, "addr")

		// a repair writes them back as they are
		execT(t, dst, `UPDATE addr SET ip = '::2' WHERE n IN (1, 2)`, `DELETE FROM addr WHERE n = 3`)
		res, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{"addr"}, Repair: true})
		if err != nil {
			t.Fatalf("prepared %d: verify --repair: %v", prepared, err)
		}
		if res.Repaired != 3 {
			t.Errorf("prepared %d: repaired %d rows, want 3", prepared, res.Repaired)
		}
		verifyNoDiffs(t, src, dst, "addr")
	}
}
