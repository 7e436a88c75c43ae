package checks

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"runway/engine/enginetest"
	"runway/runbook"

	_ "github.com/go-sql-driver/mysql"
	_ "modernc.org/sqlite"
)

type sqlCase struct {
	name    string
	spec    runbook.SQL
	passed  bool
	summary string
	mysql   string // the summary on MySQL/MariaDB and PostgreSQL, when they print the value differently (DECIMAL keeps its scale)
}

// sqlCases run against any database holding orders(id, amount, note) with
// three rows, one with a NULL note.
var sqlCases = []sqlCase{
	{"count equals", runbook.SQL{Conn: "db", Query: "SELECT COUNT(*) FROM orders", Expect: "3"}, true, "first value 3 = 3", ""},
	{"count at least", runbook.SQL{Conn: "db", Query: "SELECT COUNT(*) FROM orders", Expect: ">= 100"}, false, "first value 3, expected >= 100", ""},
	{"sum compared as a number", runbook.SQL{Conn: "db", Query: "SELECT SUM(amount) FROM orders", Expect: "> 10"}, true, "first value 12.5 > 10", "first value 12.50 > 10"},
	{"text value", runbook.SQL{Conn: "db", Query: "SELECT note FROM orders WHERE id = 1", Expect: "paid"}, true, "first value paid = paid", ""},
	{"NULL reads as NULL", runbook.SQL{Conn: "db", Query: "SELECT note FROM orders WHERE id = 3", Expect: "NULL"}, true, "first value NULL = NULL", ""},
	{"first column of first row", runbook.SQL{Conn: "db", Query: "SELECT id, note FROM orders ORDER BY id DESC", Expect: "3"}, true, "first value 3 = 3", ""},
	{"no rows fails an expectation", runbook.SQL{Conn: "db", Query: "SELECT id FROM orders WHERE id > 100", Expect: "1"}, false, "no rows, expected 1", ""},
	{"no expectation: ran is enough", runbook.SQL{Conn: "db", Query: "SELECT id FROM orders WHERE id > 100"}, true, "query ran: no rows", ""},
	{"no expectation with a value", runbook.SQL{Conn: "db", Query: "SELECT 7"}, true, "query ran: first value 7", ""},
	{"exec reports rows affected", runbook.SQL{Conn: "db", Exec: "UPDATE orders SET note = 'seen' WHERE id < 3"}, true, "exec on db ok: 2 rows affected", ""},
	{"exec one row", runbook.SQL{Conn: "db", Exec: "DELETE FROM orders WHERE id = 3"}, true, "exec on db ok: 1 row affected", ""},
}

func setupOrders(t *testing.T, db *sql.DB) {
	t.Helper()
	for _, q := range []string{
		"CREATE TABLE orders (id INTEGER PRIMARY KEY, amount DECIMAL(10,2), note VARCHAR(20))",
		"INSERT INTO orders VALUES (1, 5.00, 'paid'), (2, 7.50, 'open'), (3, 0, NULL)",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func runSQLCases(t *testing.T, driver, dsn string) {
	for _, tc := range sqlCases {
		t.Run(tc.name, func(t *testing.T) {
			db, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			db.Exec("DROP TABLE IF EXISTS orders")
			setupOrders(t, db)
			chk, err := New(runbook.Spec{SQL: &tc.spec})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			res := chk.Run(context.Background(), envWithDB(db))
			want := tc.summary
			if (driver == "mysql" || driver == "pgx") && tc.mysql != "" {
				want = tc.mysql
			}
			if res.Passed != tc.passed || res.Summary != want {
				t.Errorf("got %v %q; want %v %q", res.Passed, res.Summary, tc.passed, want)
			}
		})
	}
}

func envWithDB(db *sql.DB) Env {
	return Env{DB: func(conn string) (*sql.DB, error) {
		if conn != "db" {
			return nil, errors.New("unknown connection " + conn)
		}
		return db, nil
	}}
}

func TestSQLOnSQLite(t *testing.T) {
	runSQLCases(t, "sqlite", enginetest.SQLitePath(t, "checks"))
}

func TestSQLOnMariaDB(t *testing.T) {
	dsn, _ := enginetest.MySQL(t)
	runSQLCases(t, "mysql", dsn)
}

func TestSQLErrorsAreRedacted(t *testing.T) {
	const secret = "p4ssw0rd-from-env"
	redact := func(s string) string { return strings.ReplaceAll(s, secret, runbook.Redacted) }
	db, err := sql.Open("sqlite", enginetest.SQLitePath(t, "err"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// A failing query whose error text repeats the secret.
	chk, _ := New(runbook.Spec{SQL: &runbook.SQL{Conn: "db", Query: "SELECT * FROM \"" + secret + "\"", Expect: "1"}})
	env := envWithDB(db)
	env.Redact = redact
	res := chk.Run(context.Background(), env)
	if res.Passed || !strings.HasPrefix(res.Summary, "query on db failed:") {
		t.Fatalf("got %v %q", res.Passed, res.Summary)
	}
	if strings.Contains(res.Summary, secret) || !strings.Contains(res.Summary, runbook.Redacted) {
		t.Fatalf("secret not redacted: %q", res.Summary)
	}

	// A connection that cannot be opened, whose error names its DSN.
	env.DB = func(string) (*sql.DB, error) {
		return nil, errors.New("open root:" + secret + "@tcp(db:3306)/: refused")
	}
	res = chk.Run(context.Background(), env)
	if res.Passed || strings.Contains(res.Summary, secret) || !strings.HasPrefix(res.Summary, "connection db: open root:***@") {
		t.Fatalf("got %v %q", res.Passed, res.Summary)
	}
}

func TestSQLWithoutDatabases(t *testing.T) {
	chk, _ := New(runbook.Spec{SQL: &runbook.SQL{Conn: "db", Query: "SELECT 1"}})
	if res := chk.Run(context.Background(), Env{}); res.Passed {
		t.Fatalf("passed without a database: %q", res.Summary)
	}
}

func TestSQLCancelled(t *testing.T) {
	db, err := sql.Open("sqlite", enginetest.SQLitePath(t, "cancel"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	chk, _ := New(runbook.Spec{SQL: &runbook.SQL{Conn: "db", Query: "SELECT 1", Expect: "1"}})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if res := chk.Run(ctx, envWithDB(db)); res.Passed || res.Summary != "cancelled" {
		t.Fatalf("got %v %q", res.Passed, res.Summary)
	}
}

func TestSQLTimeoutDuringQuery(t *testing.T) {
	dsn, _ := enginetest.MySQL(t)
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	chk, _ := New(runbook.Spec{SQL: &runbook.SQL{Conn: "db", Query: "SELECT SLEEP(30)", Expect: "0"}})
	res := Run(context.Background(), chk, envWithDB(db), 100*time.Millisecond)
	if res.Passed || res.Summary != "timed out after 100ms" {
		t.Fatalf("got %v %q", res.Passed, res.Summary)
	}
}

func TestSQLOnPostgres(t *testing.T) {
	runSQLCases(t, "pgx", postgresDB(t))
}
