// Package enginetest gives tests a private MySQL/MariaDB database and a
// private SQLite file, so that tests never share state with each other.
package enginetest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	_ "modernc.org/sqlite"
)

// DefaultMySQLDSN is the server used when RUNWAY_MYSQL_DSN is not set.
const DefaultMySQLDSN = "root@tcp(127.0.0.1:3306)/"

// MySQLServerDSN returns the DSN of the test server (no database selected).
func MySQLServerDSN() string {
	if dsn := os.Getenv("RUNWAY_MYSQL_DSN"); dsn != "" {
		return dsn
	}
	return DefaultMySQLDSN
}

// MySQL creates a fresh database on the test server and returns its DSN and
// name. The database is dropped when the test ends. Without a reachable server
// the test is skipped with a one-line reason, unless RUNWAY_REQUIRE_MYSQL=1,
// in which case it fails.
func MySQL(t testing.TB) (dsn, dbName string) {
	t.Helper()
	return MySQLPrefixed(t, "runway_test_")
}

// MySQLPrefixed is MySQL with a database name starting with prefix, so that
// tests of one part can be told apart on a shared server.
func MySQLPrefixed(t testing.TB, prefix string) (dsn, dbName string) {
	t.Helper()
	cfg, err := mysql.ParseDSN(MySQLServerDSN())
	if err != nil {
		t.Fatalf("RUNWAY_MYSQL_DSN: %v", err)
	}
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err == nil {
		admin.SetConnMaxLifetime(time.Minute)
		err = admin.Ping()
	}
	if err != nil {
		if os.Getenv("RUNWAY_REQUIRE_MYSQL") == "1" {
			t.Fatalf("MySQL test server %s unreachable (RUNWAY_REQUIRE_MYSQL=1): %v", cfg.Addr, err)
		}
		t.Skipf("skipped: no MySQL/MariaDB at %s (set RUNWAY_MYSQL_DSN): %v", cfg.Addr, err)
	}
	dbName = prefix + randomSuffix()
	if _, err := admin.Exec("CREATE DATABASE `" + dbName + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"); err != nil {
		admin.Close()
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP DATABASE IF EXISTS `" + dbName + "`")
		admin.Close()
	})
	cfg.DBName = dbName
	return cfg.FormatDSN(), dbName
}

// MySQLURL is MySQL as a runway URL: mysql://user[:password]@host:port/db.
func MySQLURL(t testing.TB) string {
	t.Helper()
	dsn, _ := MySQL(t)
	cfg, _ := mysql.ParseDSN(dsn)
	userinfo := cfg.User
	if cfg.Passwd != "" {
		userinfo += ":" + cfg.Passwd
	}
	return fmt.Sprintf("mysql://%s@%s/%s", userinfo, cfg.Addr, cfg.DBName)
}

// SQLitePath returns a path for a new SQLite file in the test's temp dir.
func SQLitePath(t testing.TB, name string) string {
	t.Helper()
	if !strings.HasSuffix(name, ".db") {
		name += ".db"
	}
	return filepath.Join(t.TempDir(), name)
}

func randomSuffix() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
