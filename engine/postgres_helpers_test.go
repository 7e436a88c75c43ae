package engine

import (
	"testing"

	"runway/engine/enginetest"
)

// openPostgresT opens a fresh PostgreSQL database of the test server.
func openPostgresT(t testing.TB) *DB {
	t.Helper()
	d, err := OpenURL(enginetest.PostgresPrefixed(t, "rw_pgcore_"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}
