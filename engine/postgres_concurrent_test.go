package engine

import (
	"context"
	"strings"
	"sync"
	"testing"
)

// Two runs starting at once on a fresh PostgreSQL target both create
// runway's own tables; CREATE TABLE IF NOT EXISTS alone lets the slower
// one fail on a unique index of the catalog.
func TestPostgresOwnTablesCreatedConcurrently(t *testing.T) {
	ctx := context.Background()
	for round := range 8 {
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
		d.Close() // its connections, before the next round opens more
		for err := range errs {
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
	}
}

// A second run of the same copy job is refused, naming the table, while
// the first copies it; other tables of the job, and the job once the first
// run is over, are not held.
func TestCopyJobRunsOnceAtATime(t *testing.T) {
	ctx := context.Background()
	for _, target := range []struct {
		name string
		open func(testing.TB) *DB
	}{{"postgres", openPostgresT}, {"mysql", openMySQLT}} {
		t.Run(target.name, func(t *testing.T) {
			src, dst := openPostgresT(t), target.open(t)
			execT(t, src, "CREATE TABLE a (id int PRIMARY KEY)", "INSERT INTO a VALUES (1), (2)",
				"CREATE TABLE b (id int PRIMARY KEY)", "INSERT INTO b VALUES (1)")
			release, err := lockJob(ctx, dst, "j", []string{"a"})
			if err != nil {
				t.Fatal(err)
			}
			_, err = Copy(ctx, src, dst, CopyOptions{Job: "j", Tables: []string{"a"}, Create: true})
			if err == nil || !strings.Contains(err.Error(), "a: copy job j is already copying it into") {
				t.Errorf("second run of the job: %v", err)
			}
			if _, err := Copy(ctx, src, dst, CopyOptions{Job: "j", Tables: []string{"b"}, Create: true}); err != nil {
				t.Errorf("another table of the job: %v", err)
			}
			release()
			if _, err := Copy(ctx, src, dst, CopyOptions{Job: "j", Tables: []string{"a"}, Create: true}); err != nil {
				t.Errorf("after the first run: %v", err)
			}
			if n := countT(t, dst, "a"); n != 2 {
				t.Errorf("%d rows copied", n)
			}
		})
	}
}
