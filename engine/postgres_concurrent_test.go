package engine

import (
	"context"
	"sync"
	"testing"
)

// Two runs starting at once on a fresh PostgreSQL target both create
// runway's own tables; CREATE TABLE IF NOT EXISTS alone lets the slower
// one fail on a unique index of the catalog.
func TestPostgresOwnTablesCreatedConcurrently(t *testing.T) {
	ctx := context.Background()
	for round := range 5 {
		d := openPostgresT(t)
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 4 {
			wg.Add(2)
			go func() { defer wg.Done(); errs <- ensureCheckpointTable(ctx, d) }()
			go func() { defer wg.Done(); errs <- ensureCatchupTable(ctx, d) }()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
	}
}
