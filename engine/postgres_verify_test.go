package engine

import (
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
	}{
		{"postgres", "postgres", true}, {"postgres", "postgres", false},
		{"mysql", "postgres", true}, {"postgres", "mysql", true},
		{"sqlite", "postgres", true}, {"postgres", "sqlite", true},
	} {
		t.Run(fmt.Sprintf("%s->%s keyed=%v", tc.src, tc.dst, tc.keyed), func(t *testing.T) {
			src, dst := open[tc.src](t), open[tc.dst](t)
			createPlantSource(t, src)
			fillTarget(t, src, dst, tc.keyed)
			checkPlanted(t, src, dst, tc.keyed, "")
		})
	}
}
