package enginetest

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultPostgresDSN is the server used when RUNWAY_POSTGRES_DSN is not set.
const DefaultPostgresDSN = "postgres://postgres@127.0.0.1:5432/postgres"

// PostgresServerDSN returns the URL of the test server's maintenance database.
func PostgresServerDSN() string {
	if dsn := os.Getenv("RUNWAY_POSTGRES_DSN"); dsn != "" {
		return dsn
	}
	return DefaultPostgresDSN
}

// Postgres creates a fresh database on the test PostgreSQL server and
// returns its postgres:// URL. The database is dropped when the test ends.
// Without a reachable server the test is skipped with a one-line reason,
// unless RUNWAY_REQUIRE_POSTGRES=1, in which case it fails.
func Postgres(t testing.TB) string {
	t.Helper()
	return PostgresPrefixed(t, "runway_test_")
}

// PostgresPrefixed is Postgres with a database name starting with prefix.
func PostgresPrefixed(t testing.TB, prefix string) string {
	t.Helper()
	server := PostgresServerDSN()
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("RUNWAY_POSTGRES_DSN is not a URL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		if os.Getenv("RUNWAY_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL test server %s unreachable (RUNWAY_REQUIRE_POSTGRES=1): %v", u.Host, err)
		}
		t.Skipf("skipped: no PostgreSQL at %s (set RUNWAY_POSTGRES_DSN): %v", u.Host, err)
	}
	name := prefix + randomSuffix()
	if _, err := admin.Exec(ctx, `CREATE DATABASE "`+name+`" ENCODING 'UTF8' TEMPLATE template0`); err != nil {
		admin.Close(ctx)
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin.Exec(ctx, `DROP DATABASE IF EXISTS "`+name+`" WITH (FORCE)`)
		admin.Close(ctx)
	})
	u.Path = "/" + name
	q := u.Query()
	for k := range q {
		if !strings.EqualFold(k, "sslmode") && k != "search_path" {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}
