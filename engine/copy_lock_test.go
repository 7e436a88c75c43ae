package engine

import (
	"context"
	"database/sql"
	"database/sql/driver"
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

// TestDiscardConnRacingTxCancel: a transaction whose context ends discards
// its connection from database/sql's own goroutine; discarding it at the
// same instant (a writer giving up after a stall) must not panic. A driver
// of the test's own makes each round cheap enough to meet the race.
func TestDiscardConnRacingTxCancel(t *testing.T) {
	db := sql.OpenDB(nopConnector{})
	defer db.Close()
	for range 20000 {
		conn, err := db.Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		if _, err := conn.BeginTx(ctx, nil); err != nil {
			t.Fatal(err)
		}
		go cancel()
		discardConn(conn)
	}
}

// nopConnector, nopConn and nopTx are a driver that does nothing.
type nopConnector struct{}
type nopConn struct{}
type nopTx struct{}

func (nopConnector) Connect(context.Context) (driver.Conn, error) { return nopConn{}, nil }
func (nopConnector) Driver() driver.Driver                        { return nil }
func (nopConn) Prepare(string) (driver.Stmt, error)               { return nil, driver.ErrSkip }
func (nopConn) Close() error                                      { return nil }
func (nopConn) Begin() (driver.Tx, error)                         { return nopTx{}, nil }
func (nopTx) Commit() error                                       { return nil }
func (nopTx) Rollback() error                                     { return nil }
