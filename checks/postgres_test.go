package checks

import (
	"testing"

	"runway/internal/pgtest"
)

func postgresDB(t *testing.T) string { return pgtest.DB(t) }
