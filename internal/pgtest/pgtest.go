// Package pgtest gives tests outside the engines a PostgreSQL database of
// their own on the test server.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// DefaultDSN is the server used when RUNWAY_POSTGRES_DSN is not set.
const DefaultDSN = "postgres://postgres@127.0.0.1:5432/postgres"

// DB creates a database of its own on the test server (RUNWAY_POSTGRES_DSN)
// and returns its URL; it is dropped when the test ends. Without a server the test is
// skipped with a one-line reason, unless RUNWAY_REQUIRE_POSTGRES=1.
func DB(t testing.TB) string {
	t.Helper()
	admin := os.Getenv("RUNWAY_POSTGRES_DSN")
	if admin == "" {
		admin = DefaultDSN
	}
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("RUNWAY_POSTGRES_DSN: %v", err)
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatalf("RUNWAY_POSTGRES_DSN: %v", err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		if os.Getenv("RUNWAY_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL test server %s unreachable (RUNWAY_REQUIRE_POSTGRES=1): %v", u.Host, err)
		}
		t.Skipf("skipped: no PostgreSQL at %s (set RUNWAY_POSTGRES_DSN)", u.Host)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "rw_pgconn_" + hex.EncodeToString(b)
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u.Path = "/" + name
	return u.String()
}
