package engine

import (
	"testing"

	"runway/engine/enginetest"
)

// openClaimsMySQL opens a fresh MariaDB database named claims_…, skipped
// with a one-line reason when no server is reachable.
func openClaimsMySQL(t testing.TB) *DB {
	t.Helper()
	dsn, _ := enginetest.MySQLPrefixed(t, "claims_")
	d, err := Open(MySQL, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// createLike creates table on dst as it is on src (same MySQL definition).
func createLike(t testing.TB, src, dst *DB, table string) {
	t.Helper()
	var name, create string
	if err := src.SQL().QueryRow("SHOW CREATE TABLE "+src.Quote(table)).Scan(&name, &create); err != nil {
		t.Fatal(err)
	}
	execT(t, dst, create)
}
