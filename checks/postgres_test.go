package checks

import (
	"testing"

	"runway/engine/enginetest"
)

func postgresDB(t *testing.T) string { return enginetest.Postgres(t) }
