package engine

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/go-sql-driver/mysql"
	_ "modernc.org/sqlite" // registers driver "sqlite"
)

// Driver names accepted by Open.
const (
	MySQL    = "mysql"
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is one database an engine reads from or writes to.
type DB struct {
	dialect dialect // everything that differs between databases
	db      *sql.DB
	ident   string // where it is, without secrets: "mysql://user@host:port/db" or "sqlite:/abs/path"
	path    string // SQLite file path ("" for MySQL or memory)

	mu        sync.Mutex
	mariadb   bool // MySQL flavour, known after the first query
	flavorOK  bool
	maxPacket int // MySQL max_allowed_packet, 0 until known
}

// quietLogger keeps the MySQL driver from printing to the terminal; errors
// reach the caller through the returned values anyway.
type quietLogger struct{}

// Print discards the message.
func (quietLogger) Print(...any) {}

// Open opens a database. driver is "mysql" (dsn in go-sql-driver form,
// user:pass@tcp(host:port)/db), "postgres" (dsn a postgres:// URL, see
// ParsePostgresURL, or libpq's key=value form) or "sqlite" (dsn a file path
// or a file: URI; a missing file is created when its folder exists).
// Errors never contain the password.
func Open(driver, dsn string) (*DB, error) {
	switch driver {
	case MySQL:
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil {
			return nil, fmt.Errorf("open mysql: invalid DSN (%s)", redactErr(err, dsn))
		}
		return openMySQL(cfg)
	case SQLite:
		return openSQLite(dsn, true)
	case Postgres:
		cfg, err := parsePostgresDSN(dsn)
		if err != nil {
			return nil, err
		}
		return openPostgres(cfg)
	default:
		return nil, fmt.Errorf("open: unknown driver %q (want mysql, postgres or sqlite)", driver)
	}
}

// OpenExisting is Open for a database that must already exist: a missing
// SQLite file is the error "sqlite:PATH: no such file", never a new empty
// database.
func OpenExisting(driver, dsn string) (*DB, error) {
	if driver == SQLite {
		return openSQLite(dsn, false)
	}
	return Open(driver, dsn)
}

func openMySQL(cfg *mysql.Config) (*DB, error) {
	if cfg.DBName == "" {
		return nil, fmt.Errorf("open mysql://%s@%s: no database named", cfg.User, cfg.Addr)
	}
	cfg.ParseTime = false // dates stay text, exactly as the server prints them
	cfg.InterpolateParams = false
	cfg.MultiStatements = false
	cfg.Loc = time.UTC
	cfg.Logger = quietLogger{}
	cfg.MaxAllowedPacket = 0 // ask the server
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.DialFunc == nil { // the driver bounds the dial by cfg.Timeout
		cfg.DialFunc = dialDB(0)
	}
	if cfg.Collation == "" {
		cfg.Collation = "utf8mb4_general_ci"
	}
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	// Every connection, including ones reopened after a failure, gets the
	// same session: UTC for TIMESTAMP, backslash escapes on, strict writes,
	// and id 0 kept as 0 in AUTO_INCREMENT columns.
	cfg.Params["time_zone"] = "'+00:00'"
	cfg.Params["sql_mode"] = "'" + strictSQLMode + "'"
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("open mysql://%s@%s/%s: %s", cfg.User, cfg.Addr, cfg.DBName, redactErr(err, cfg.Passwd))
	}
	db := sql.OpenDB(conn)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{dialect: mysqlDialect{}, db: db, ident: fmt.Sprintf("mysql://%s@%s/%s", cfg.User, cfg.Addr, cfg.DBName)}, nil
}

// openSQLite opens a SQLite database. Unless create is set the file must
// exist: the driver is told not to create it (mode=rw), so a mistyped path
// is an error rather than a new empty database. When create is set, only
// the file is created, never its folder.
func openSQLite(dsn string, create bool) (*DB, error) {
	if dsn == "" {
		return nil, fmt.Errorf("open sqlite: empty path")
	}
	name, path := dsn, dsn
	if strings.HasPrefix(dsn, "file:") {
		path = strings.TrimPrefix(dsn, "file:")
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path = path[:i]
		}
		path = strings.TrimPrefix(path, "//")
	} else if i := strings.IndexByte(dsn, '?'); i >= 0 {
		path = dsn[:i]
	}
	if path != "" && path != ":memory:" {
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
	}
	if path != "" && path != ":memory:" && !strings.Contains(name, "mode=memory") {
		var err error
		if name, err = sqliteFileDSN(name, path, create); err != nil {
			return nil, err
		}
	}
	sep := "?"
	if strings.Contains(name, "?") {
		sep = "&"
	}
	// busy_timeout lets a reader and the writer share a file without SQLITE_BUSY;
	// synchronous=NORMAL is durable enough in WAL mode and much faster.
	name += sep + "_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)"
	db, err := sql.Open("sqlite", name)
	if err != nil {
		return nil, fmt.Errorf("open sqlite:%s: %w", path, err)
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	return &DB{dialect: sqliteDialect{}, db: db, ident: "sqlite:" + path, path: path}, nil
}

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

// Driver is "mysql", "postgres" or "sqlite".
func (d *DB) Driver() string { return d.dialect.name() }

// SQL is the underlying handle, for statements outside the engines.
func (d *DB) SQL() *sql.DB { return d.db }

// String names the database without secrets, e.g. mysql://app@db:3306/shop.
func (d *DB) String() string { return d.ident }

// isMariaDB tells the MySQL flavour; it matters for collations and JSON.
func (d *DB) isMariaDB(ctx context.Context) bool { return d.dialect.mariaDB(ctx, d) }

// packetLimit is the largest statement the MySQL server accepts.
func (d *DB) packetLimit(ctx context.Context) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.maxPacket == 0 {
		var n int64
		if err := d.db.QueryRowContext(ctx, "SELECT @@max_allowed_packet").Scan(&n); err == nil && n > 0 {
			d.maxPacket = int(n)
		} else {
			return 4 << 20
		}
	}
	return d.maxPacket
}

// redactErr renders err without the secret s, should the driver echo it.
func redactErr(err error, s string) string {
	msg := err.Error()
	if s != "" {
		msg = strings.ReplaceAll(msg, s, "***")
	}
	return msg
}

// sameFile reports whether two SQLite databases are the same file.
func sameFile(a, b *DB) bool {
	if !a.dialect.attaches() || !b.dialect.attaches() || a.path == "" || b.path == "" {
		return false
	}
	sa, errA := os.Stat(a.path)
	sb, errB := os.Stat(b.path)
	if errA != nil || errB != nil {
		return a.path == b.path
	}
	return os.SameFile(sa, sb)
}
