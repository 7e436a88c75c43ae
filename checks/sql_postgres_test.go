package checks

import (
	"context"
	"database/sql"
	"net/url"
	"strings"
	"testing"

	"runway/runbook"
)

func openPostgres(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func runSQL(t *testing.T, db *sql.DB, spec runbook.SQL) Result {
	t.Helper()
	spec.Conn = "db"
	chk, err := New(runbook.Spec{SQL: &spec})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return chk.Run(context.Background(), envWithDB(db))
}

// TestSQLPostgresValueText: values read as PostgreSQL's text cast prints
// them in UTC, whatever the client's time zone.
func TestSQLPostgresValueText(t *testing.T) {
	t.Setenv("TZ", "America/New_York")
	db := openPostgres(t, postgresDB(t))
	cases := []struct{ query, want string }{
		{"SELECT true", "true"},
		{"SELECT 1 = 2", "false"},
		{"SELECT NULL::int", "NULL"},
		{"SELECT 12345678901234567890.123400::numeric", "12345678901234567890.123400"},
		{"SELECT 2.50::numeric(10,2)", "2.50"},
		{"SELECT 0.1::float8", "0.1"},
		{"SELECT 1e21::float8", "1e+21"},
		{"SELECT -7::bigint", "-7"},
		{"SELECT DATE '2024-02-29'", "2024-02-29"},
		{"SELECT TIMESTAMP '2024-02-29 13:14:15'", "2024-02-29 13:14:15"},
		{"SELECT TIMESTAMP '2024-02-29 13:14:15.250'", "2024-02-29 13:14:15.25"},
		{"SELECT TIMESTAMPTZ '2024-02-29 13:14:15+02'", "2024-02-29 11:14:15+00"},
		{"SELECT '7c9e6679-7425-40de-944b-e07fc1f90ae7'::uuid", "7c9e6679-7425-40de-944b-e07fc1f90ae7"},
		{"SELECT '{\"a\": 1}'::jsonb", `{"a": 1}`},
		{"SELECT 'café'::text", "café"},
	}
	for _, c := range cases {
		res := runSQL(t, db, runbook.SQL{Query: c.query, Expect: c.want})
		if !res.Passed || res.Output != c.want {
			t.Errorf("%s: got %v %q (output %q), want %q", c.query, res.Passed, res.Summary, res.Output, c.want)
		}
	}
}

// TestSQLPostgresQueryAndExec: expectations pass and fail on PostgreSQL,
// exec counts rows, a bad statement fails on one line.
func TestSQLPostgresQueryAndExec(t *testing.T) {
	db := openPostgres(t, postgresDB(t))
	steps := []struct {
		spec    runbook.SQL
		passed  bool
		summary string
	}{
		{runbook.SQL{Exec: "CREATE TABLE t (id int PRIMARY KEY, ok boolean)"}, true, "exec on db ok: 0 rows affected"},
		{runbook.SQL{Exec: "INSERT INTO t VALUES (1, true), (2, false), (3, NULL)"}, true, "exec on db ok: 3 rows affected"},
		{runbook.SQL{Query: "SELECT count(*) FROM t WHERE ok", Expect: "1"}, true, "first value 1 = 1"},
		{runbook.SQL{Query: "SELECT ok FROM t WHERE id = 2", Expect: "true"}, false, "first value false, expected = true"},
		{runbook.SQL{Query: "SELECT ok FROM t WHERE id = 3", Expect: "NULL"}, true, "first value NULL = NULL"},
		{runbook.SQL{Query: "SELECT nope FROM t", Expect: "1"}, false, `query on db failed: ERROR: column "nope" does not exist (SQLSTATE 42703)`},
	}
	for _, s := range steps {
		res := runSQL(t, db, s.spec)
		if res.Passed != s.passed || res.Summary != s.summary {
			t.Errorf("%+v: got %v %q, want %v %q", s.spec, res.Passed, res.Summary, s.passed, s.summary)
		}
	}
}

// TestSQLPostgresConnectErrors: a refused login or an unreachable server
// fails on one line that never holds the password.
func TestSQLPostgresConnectErrors(t *testing.T) {
	const secret = `s3cr'et\pw`
	u, _ := url.Parse(postgresDB(t))
	u.User = url.UserPassword("rw_pgconn_nobody", secret)
	closed := *u
	closed.Host = "127.0.0.1:1"
	for _, dsn := range []string{u.String(), closed.String()} {
		res := runSQL(t, openPostgres(t, dsn), runbook.SQL{Query: "SELECT 1", Expect: "1"})
		if res.Passed || !strings.HasPrefix(res.Summary, "query on db failed: failed to connect to `user=rw_pgconn_nobody database=") ||
			strings.Count(res.Summary, " (127.0.0.1): ") != 1 {
			t.Errorf("got %v %q, want one line that says it once", res.Passed, res.Summary)
		}
		for _, form := range []string{secret, url.QueryEscape(secret), "s3cr"} {
			if strings.Contains(res.Summary, form) {
				t.Errorf("password shown as %q: %q", form, res.Summary)
			}
		}
	}
}

// TestSQLPostgresCancel: a query that would run for minutes ends when its
// context does.
func TestSQLPostgresCancel(t *testing.T) {
	db := openPostgres(t, postgresDB(t))
	chk, err := New(runbook.Spec{SQL: &runbook.SQL{Conn: "db", Query: "SELECT pg_sleep(600)"}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan Result)
	go func() { done <- chk.Run(ctx, envWithDB(db)) }()
	// Cancel once the server runs the sleep, so the cancel reaches it.
	waitFor(t, func() bool {
		var n int
		db.QueryRow("SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(600)' AND state = 'active'").Scan(&n)
		return n > 0
	})
	cancel()
	if res := <-done; res.Passed {
		t.Fatalf("a cancelled query passed: %+v", res)
	}
	// The server stops the sleep too: the cancel reached it.
	waitFor(t, func() bool {
		var n int
		db.QueryRow("SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(600)'").Scan(&n)
		return n == 0
	})
}
