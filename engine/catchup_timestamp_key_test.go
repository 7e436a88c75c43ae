package engine

import (
	"context"
	"database/sql"
	"testing"

	"runway/engine/enginetest"
)

// A TIMESTAMP in the key, written by an application whose session is not in
// UTC: the trigger logs the key in UTC, as runway reads it. Logged as the
// session showed it, every change looked up a key that does not exist: the
// updates and inserts never arrived and a deleted row stayed, while the
// drain passed.
func TestCatchupTimestampKeyAnyTimeZone(t *testing.T) {
	for _, kind := range []string{MySQL, SQLite, Postgres} {
		t.Run(kind, func(t *testing.T) {
			dsn, _ := enginetest.MySQL(t)
			src := openMySQLDSNT(t, dsn)
			dst := openTargetT(t, kind)
			execT(t, src, "CREATE TABLE readings (sensor INT NOT NULL, ts TIMESTAMP(3) NOT NULL, v INT, PRIMARY KEY (sensor, ts))",
				"CREATE TABLE events (ts TIMESTAMP NOT NULL PRIMARY KEY, v INT)",
				"INSERT INTO readings VALUES (1, '2024-01-01 10:00:00.000', 1), (1, '2024-01-01 11:00:00.250', 2)",
				"INSERT INTO events VALUES ('2024-01-01 10:00:00', 1), ('2024-01-01 12:00:00', 2)")
			tables := []string{"readings", "events"}
			copyT(t, src, dst, CopyOptions{Tables: tables, Create: true})
			installT(t, src, tables)
			app := appSession(t, dsn, "SET time_zone = '+02:00'")
			connExec(t, app, "UPDATE readings SET v = 10 WHERE sensor = 1",
				"INSERT INTO readings VALUES (2, '2024-01-02 00:30:00.500', 5)",
				"DELETE FROM events WHERE v = 1", "UPDATE events SET v = 20",
				"INSERT INTO events VALUES ('2024-03-01 00:00:00', 7)")
			if _, err := Catchup(context.Background(), src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained}); err != nil {
				t.Fatal(err)
			}
			for _, table := range tables {
				verifyNoDiffs(t, src, dst, table)
			}
		})
	}
}

// appSession is a connection to dsn outside runway's pool, as an
// application's, set up by setup.
func appSession(t *testing.T, dsn string, setup ...string) *sql.Conn {
	t.Helper()
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	connExec(t, conn, setup...)
	return conn
}

// The zero TIMESTAMP a lax sql_mode lets in, as a key alone and within a
// composite key: the application's write is logged (it failed with
// "Column 'pk' cannot be null") and the row reaches the target (its key
// was logged as null and the row lost).
func TestCatchupZeroTimestampKey(t *testing.T) {
	dsn, _ := enginetest.MySQL(t)
	src, dst := openMySQLDSNT(t, dsn), openMySQLT(t)
	execT(t, src, "SET SESSION sql_mode = ''",
		"CREATE TABLE z1 (ts TIMESTAMP NOT NULL DEFAULT '2001-01-01 00:00:00' PRIMARY KEY, v INT)",
		"CREATE TABLE z2 (k INT NOT NULL, ts TIMESTAMP(3) NOT NULL DEFAULT '2001-01-01 00:00:00', v INT, PRIMARY KEY (k, ts))",
		"INSERT INTO z1 VALUES ('2024-01-01 10:00:00', 1)", "INSERT INTO z2 VALUES (1, '2024-01-01 10:00:00', 1)")
	tables := []string{"z1", "z2"}
	copyT(t, src, dst, CopyOptions{Tables: tables, Create: true})
	installT(t, src, tables)
	app := appSession(t, dsn, "SET SESSION sql_mode = ''", "SET time_zone = '+05:00'")
	connExec(t, app, "INSERT INTO z1 VALUES ('0000-00-00 00:00:00', 2)", "INSERT INTO z2 VALUES (5, '0000-00-00 00:00:00', 5)",
		"UPDATE z1 SET v = 20 WHERE ts = 0")
	if _, err := Catchup(context.Background(), src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained}); err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		verifyNoDiffs(t, src, dst, table)
	}
}
