package engine

import (
	"context"
	"testing"
)

// One job copying the same table into two databases of one MySQL server is
// two runs, not one: the lock is named by the target database too.
func TestCopyJobLockIsPerTargetDatabase(t *testing.T) {
	ctx := context.Background()
	a, b := openMySQLT(t), openMySQLT(t)
	release, err := lockJob(ctx, a, "j", []string{"t"})
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	other, err := lockJob(ctx, b, "j", []string{"t"})
	if err != nil {
		t.Fatalf("the same job and table into another database of the server: %v", err)
	}
	other()
}
