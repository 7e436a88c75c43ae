package engine

import (
	"context"
	"strings"
	"testing"
)

// A PostgreSQL target written by a user that is not a superuser keeps its
// foreign keys in force. When a unique value moves between two rows of a
// table whose children are deleted ON DELETE CASCADE, clearing the row that
// held it would delete its children, which did not change on the source
// and which nothing brings back: catch-up reported drained and repair
// "0 differences" with every child gone. Both now stop before writing,
// naming the row and the foreign key, and the children stay.

const cascadeAccounts = "CREATE TABLE accounts (id int PRIMARY KEY, email varchar(40) NOT NULL UNIQUE)"
const cascadeOrders = "CREATE TABLE orders (id int PRIMARY KEY, account_id int NOT NULL, total int," +
	" CONSTRAINT orders_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE)"

// cascadeSwap swaps the emails of accounts 1 and 2.
var cascadeSwap = []string{"UPDATE accounts SET email = 'tmp' WHERE id = 1",
	"UPDATE accounts SET email = 'a@x' WHERE id = 2", "UPDATE accounts SET email = 'b@x' WHERE id = 1"}

// cascadeTarget copies accounts and their 10 orders from src to a new
// PostgreSQL database written by a user that is not a superuser.
func cascadeTarget(t *testing.T, src *DB) *DB {
	dst := openPostgresUserT(t, openPostgresT(t))
	execT(t, src, "INSERT INTO accounts VALUES (1, 'a@x'), (2, 'b@x')")
	for i := 1; i <= 10; i++ {
		execT(t, src, "INSERT INTO orders VALUES ("+itoa(i)+", "+itoa(1+i%2)+", "+itoa(i)+")")
	}
	execT(t, dst, cascadeAccounts, cascadeOrders)
	copyT(t, src, dst, CopyOptions{Tables: []string{"accounts"}})
	copyT(t, src, dst, CopyOptions{Tables: []string{"orders"}})
	return dst
}

func TestPostgresCascadeGuardStopsCatchup(t *testing.T) {
	src := openPostgresT(t)
	execT(t, src, cascadeAccounts, cascadeOrders)
	dst := cascadeTarget(t, src)
	installT(t, src, []string{"accounts", "orders"})
	execT(t, src, cascadeSwap...)
	_, err := Catchup(context.Background(), src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained})
	wantCascadeStop(t, err, "holds email that moved to row id=")
	wantOrders(t, dst, 10)
}

func TestPostgresCascadeGuardStopsRepair(t *testing.T) {
	src := openPostgresT(t)
	execT(t, src, cascadeAccounts, cascadeOrders)
	dst := cascadeTarget(t, src)
	execT(t, src, cascadeSwap...)
	res, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{"accounts"}, Repair: true})
	if err == nil {
		t.Fatalf("repair passed (%+v), want it stopped", res)
	}
	wantCascadeStop(t, err, "holds email that moved to row id=")
	wantOrders(t, dst, 10)
}

// From MySQL, whose triggers log no cascade, catch-up follows the rows
// referencing a changed key, but reads them before the batch is written:
// the cascade of the clear came after and went unseen the same.
func TestPostgresCascadeGuardStopsCatchupFromMySQL(t *testing.T) {
	src := openMySQLT(t)
	execT(t, src, cascadeAccounts, cascadeOrders)
	dst := cascadeTarget(t, src)
	installT(t, src, []string{"accounts", "orders"})
	execT(t, src, cascadeSwap...)
	_, err := Catchup(context.Background(), src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained})
	wantCascadeStop(t, err, "holds email that moved to row id=")
	wantOrders(t, dst, 10)
}

// A superuser writes as a replica, where no foreign key acts: the same
// swap is caught up.
func TestPostgresCascadeGuardLetsSuperuserThrough(t *testing.T) {
	src, dst := openPostgresT(t), openPostgresT(t)
	execT(t, src, cascadeAccounts, cascadeOrders)
	execT(t, src, "INSERT INTO accounts VALUES (1, 'a@x'), (2, 'b@x')", "INSERT INTO orders VALUES (1, 1, 1), (2, 2, 2)")
	execT(t, dst, cascadeAccounts, cascadeOrders)
	copyT(t, src, dst, CopyOptions{Tables: []string{"accounts", "orders"}})
	installT(t, src, []string{"accounts", "orders"})
	execT(t, src, cascadeSwap...)
	drainT(t, src, dst)
	verifyNoDiffs(t, src, dst, "accounts")
	wantOrders(t, dst, 2)
}

func wantCascadeStop(t *testing.T, err error, row string) {
	t.Helper()
	if err == nil {
		t.Error("no error, want a stop naming the cascading foreign key")
		return
	}
	for _, want := range []string{"accounts in ", row, "foreign key orders_account_fk of orders (ON DELETE CASCADE)", "not a superuser"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error %q is not one line", err)
	}
}

func wantOrders(t *testing.T, dst *DB, n int64) {
	t.Helper()
	if got := countT(t, dst, "orders"); got != n {
		t.Errorf("%d orders on the target, want %d", got, n)
	}
}

// The plans of catch-up and repair say so up front, on the table whose
// unique values would move; a copy's plan does not (it clears none).
func TestPostgresCascadeGuardPlanned(t *testing.T) {
	src := openPostgresT(t)
	execT(t, src, cascadeAccounts, cascadeOrders)
	dst := cascadeTarget(t, src)
	for _, opts := range []PreflightOptions{{Engine: PlanCatchup}, {Engine: PlanVerify, Repair: true}, {Engine: PlanCopy}} {
		opts.Tables = []string{"accounts", "orders"}
		p, err := PreflightPlan(context.Background(), src, dst, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, tp := range p.Tables {
			noted := strings.Contains(strings.Join(tp.Notes, "\n"), "unique values that move between rows stop the ")
			if want := tp.Name == "accounts" && opts.Engine != PlanCopy; noted != want {
				t.Errorf("%s plan of %s: cascade stop noted %v, want %v: %q", opts.Engine, tp.Name, noted, want, tp.Notes)
			}
		}
	}
}
