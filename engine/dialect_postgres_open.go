package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// pgURLParams are the query parameters a postgres:// URL may carry.
var pgURLParams = map[string]bool{"search_path": true, "sslmode": true, "sslrootcert": true,
	"connect_timeout": true, "application_name": true, "sslcert": true, "sslkey": true,
	"sslpassword": true, "target_session_attrs": true}

// pgConfig is what runway needs to open a PostgreSQL database.
type pgConfig struct {
	conn   *pgx.ConnConfig
	schema string // the first entry of search_path: where tables are read and created
	ident  string // postgres://user@host:port/db, without secrets
}

// ParsePostgresURL checks postgres://user[:password]@host[:port]/db[?search_path=schema&sslmode=…]
// (postgresql:// too) and returns it in the form Open(Postgres, …) takes.
// The port defaults to 5432, the schema to public. Errors never contain
// the password.
func ParsePostgresURL(raw string) (string, error) {
	if _, err := parsePostgresURL(raw); err != nil {
		return "", err
	}
	return raw, nil
}

// IsPostgresURL reports whether raw names a PostgreSQL database.
func IsPostgresURL(raw string) bool {
	return strings.HasPrefix(raw, "postgres://") || strings.HasPrefix(raw, "postgresql://")
}

func parsePostgresURL(raw string) (*pgConfig, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s is not a valid URL (%s)", RedactURL(raw), urlReason(err))
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("parse %s: no host", RedactURL(raw))
	}
	db := strings.TrimPrefix(u.Path, "/")
	if db == "" || strings.Contains(db, "/") {
		return nil, fmt.Errorf("parse %s: want exactly one database name after the host", RedactURL(raw))
	}
	q := u.Query()
	for k := range q {
		if !pgURLParams[k] {
			return nil, fmt.Errorf("parse %s: unknown parameter %q (a postgres:// URL takes search_path, sslmode, sslrootcert, sslcert, sslkey, sslpassword, connect_timeout, application_name and target_session_attrs)", RedactURL(raw), k)
		}
	}
	searchPath := q.Get("search_path")
	q.Del("search_path")
	if q.Get("connect_timeout") == "" {
		q.Set("connect_timeout", "10")
	}
	clean := *u
	clean.Scheme, clean.RawQuery = "postgres", q.Encode()
	password, _ := u.User.Password()
	cc, err := pgx.ParseConfig(clean.String())
	if err != nil {
		msg := redactErr(errors.New(redactErr(err, password)), url.QueryEscape(password))
		if key := q.Get("sslpassword"); key != "" { // the client key's passphrase is a secret too
			msg = redactErr(errors.New(redactErr(errors.New(msg), key)), url.QueryEscape(key))
		}
		return nil, fmt.Errorf("parse %s: %s", RedactURL(raw), msg)
	}
	return newPGConfig(cc, searchPath), nil
}

// parsePostgresDSN reads a postgres:// URL or libpq's key=value form.
func parsePostgresDSN(dsn string) (*pgConfig, error) {
	if IsPostgresURL(dsn) {
		return parsePostgresURL(dsn)
	}
	cc, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: invalid DSN (%s)", redactPGErr(err, dsn))
	}
	return newPGConfig(cc, cc.RuntimeParams["search_path"]), nil
}

// redactPGErr renders a DSN error without any password= value of the DSN.
func redactPGErr(err error, dsn string) string {
	msg := err.Error()
	for _, f := range strings.Fields(dsn) {
		if k, v, ok := strings.Cut(f, "="); ok && strings.EqualFold(k, "password") && v != "" {
			msg = strings.ReplaceAll(msg, strings.Trim(v, "'"), "***")
		}
	}
	return msg
}

// newPGConfig sets the session every connection gets: UTC, ISO dates,
// standard strings, the schema first in search_path. Schema names are
// taken as written, case and all (runway quotes every name).
func newPGConfig(cc *pgx.ConnConfig, searchPath string) *pgConfig {
	var path []string
	schema := "public"
	for _, s := range strings.Split(searchPath, ",") {
		s = strings.TrimSpace(s)
		switch {
		case s == "":
			continue
		case strings.HasPrefix(s, `"`) && strings.HasSuffix(s, `"`) && len(s) > 1:
			s = strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
		}
		if len(path) == 0 {
			schema = s
		}
		if s == "$user" {
			path = append(path, s)
		} else {
			path = append(path, quotePG(s))
		}
	}
	if len(path) == 0 {
		path = []string{quotePG(schema)}
	}
	if cc.RuntimeParams == nil {
		cc.RuntimeParams = map[string]string{}
	}
	for k, v := range map[string]string{"search_path": strings.Join(path, ", "), "TimeZone": "UTC", "DateStyle": "ISO, YMD",
		"IntervalStyle": "postgres", "extra_float_digits": "1", "standard_conforming_strings": "on", "bytea_output": "hex",
		// A row-level security policy would hide rows from a copy or a
		// verify without a word: off, the server refuses the query instead.
		"row_security": "off"} {
		cc.RuntimeParams[k] = v
	}
	// Every statement of a copy is different (literal keys): preparing and
	// caching them would cost a round trip each and fill the cache.
	cc.DefaultQueryExecMode = pgx.QueryExecModeExec
	if cc.ConnectTimeout == 0 {
		cc.ConnectTimeout = 10 * time.Second
	}
	cc.DialFunc = dialDB(cc.ConnectTimeout)
	ident := fmt.Sprintf("postgres://%s@%s/%s", cc.User, net.JoinHostPort(cc.Host, strconv.Itoa(int(cc.Port))), cc.Database)
	if schema != "public" { // two schemas of one database are two places
		ident += "?search_path=" + url.QueryEscape(schema)
	}
	return &pgConfig{conn: cc, schema: schema, ident: ident}
}

func openPostgres(cfg *pgConfig) (*DB, error) {
	db := stdlib.OpenDB(*cfg.conn)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{dialect: postgresDialect{search: cfg.schema}, db: db, ident: cfg.ident}, nil
}

// OpenPostgres opens the PostgreSQL database named by a postgres:// URL.
func OpenPostgres(raw string) (*DB, error) {
	cfg, err := parsePostgresURL(raw)
	if err != nil {
		return nil, err
	}
	return openPostgres(cfg)
}

// pgRaw runs f on the pgx connection under conn.
func pgRaw(conn *sql.Conn, f func(*pgx.Conn) error) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("not a PostgreSQL connection (%T)", dc)
		}
		return f(c.Conn())
	})
}

// pgPing is the first contact with a PostgreSQL server. It also checks that
// the search_path's schema exists: without it a copy would fail later,
// creating its checkpoint table, with "no schema has been selected".
func pgPing(ctx context.Context, d *DB) error {
	if err := d.db.PingContext(ctx); err != nil {
		return err
	}
	schema := d.dialect.(postgresDialect).search
	var exists bool
	err := d.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, schema).Scan(&exists)
	if err != nil || exists {
		return err
	}
	return &pgconn.PgError{Severity: "ERROR", Code: "3F000", Message: fmt.Sprintf("schema %q (search_path) does not exist", schema)}
}
