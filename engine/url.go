package engine

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/go-sql-driver/mysql"
)

// OpenURL opens a database named by a runway URL, creating a SQLite file
// that does not exist yet (in a folder that does); OpenSourceURL does not:
//
//	mysql://user[:password]@host[:port]/db[?tls=true]
//	postgres://user[:password]@host[:port]/db[?search_path=schema&sslmode=…]  (postgresql:// too)
//	sqlite:PATH   (sqlite:///abs/path and sqlite:file:x.db?mode=ro work too)
//
// Errors never contain the password.
func OpenURL(raw string) (*DB, error) { return openURL(raw, true) }

// OpenSourceURL is OpenURL for a database that must already exist: a
// missing SQLite file is the error "sqlite:PATH: no such file".
func OpenSourceURL(raw string) (*DB, error) { return openURL(raw, false) }

func openURL(raw string, create bool) (*DB, error) {
	switch {
	case strings.HasPrefix(raw, "sqlite:"):
		rest := strings.TrimPrefix(raw, "sqlite:")
		if strings.HasPrefix(rest, "//") {
			rest = rest[2:]
			if host, _, _ := strings.Cut(rest, "/"); strings.Contains(host, "@") {
				// not a path: it would be named, password and all, in every message
				return nil, fmt.Errorf("open %s: a sqlite: URL takes a file path, not a user or password", RedactURL(raw))
			}
		}
		if rest == "" {
			return nil, fmt.Errorf("open %s: no path", raw)
		}
		return openSQLite(rest, create)
	case strings.HasPrefix(raw, "mysql://"), strings.HasPrefix(raw, "mariadb://"):
		cfg, err := ParseMySQLURL(raw)
		if err != nil {
			return nil, err
		}
		return openMySQL(cfg)
	case IsPostgresURL(raw):
		return OpenPostgres(raw)
	default:
		return nil, fmt.Errorf("open %s: unknown URL scheme (want mysql://user@host:port/db, postgres://user@host:port/db or sqlite:PATH)", RedactURL(raw))
	}
}

// ParseMySQLURL turns mysql://user[:password]@host[:port]/db into a driver
// configuration. The port defaults to 3306.
func ParseMySQLURL(raw string) (*mysql.Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s is not a valid URL (%s)", RedactURL(raw), urlReason(err))
	}
	cfg := mysql.NewConfig()
	cfg.Net = "tcp"
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
	}
	host := u.Host
	if host == "" {
		return nil, fmt.Errorf("parse %s: no host", RedactURL(raw))
	}
	if u.Port() == "" {
		host += ":3306"
	}
	cfg.Addr = host
	cfg.DBName = strings.TrimPrefix(u.Path, "/")
	if cfg.DBName == "" || strings.Contains(cfg.DBName, "/") {
		return nil, fmt.Errorf("parse %s: want exactly one database name after the host", RedactURL(raw))
	}
	for k, v := range u.Query() {
		switch k {
		case "tls":
			cfg.TLSConfig = v[0]
		default:
			return nil, fmt.Errorf("parse %s: unknown parameter %q", RedactURL(raw), k)
		}
	}
	return cfg, nil
}

// urlReason is why url.Parse refused a URL, in words that quote no part
// of it (the part may be a password).
func urlReason(err error) string {
	var esc url.EscapeError
	var host url.InvalidHostError
	switch {
	case errors.As(err, &esc):
		return "invalid URL escape"
	case errors.As(err, &host):
		return "invalid character in host"
	case strings.Contains(err.Error(), "invalid port"):
		return "invalid port"
	case strings.Contains(err.Error(), "invalid control character"):
		return "control character"
	}
	return "malformed"
}

// RedactURL hides the password of a runway URL, for messages. Whatever
// comes between "user:" and the last '@' is hidden, even where the URL
// does not parse or parses otherwise (a '?', '#' or '/' in a password).
func RedactURL(raw string) string {
	raw = sslPasswordParam.ReplaceAllString(raw, "${1}***")
	i := strings.Index(raw, "://")
	if i < 0 {
		return raw
	}
	if j := strings.LastIndex(raw, "@"); j > i {
		user, _, hasPw := strings.Cut(raw[i+3:j], ":")
		if !hasPw {
			return raw
		}
		return raw[:i+3] + user + ":***" + raw[j:]
	}
	return raw
}

// sslPasswordParam is a URL's sslpassword (a client key's passphrase).
var sslPasswordParam = regexp.MustCompile(`(?i)([?&]sslpassword=)[^&#]*`)

// IsMySQLURL reports whether raw names a MySQL or MariaDB database.
func IsMySQLURL(raw string) bool {
	return strings.HasPrefix(raw, "mysql://") || strings.HasPrefix(raw, "mariadb://")
}

// OpenMySQL opens the MySQL database cfg describes, as ParseMySQLURL made
// it and the caller completed (a password from elsewhere than the URL).
func OpenMySQL(cfg *mysql.Config) (*DB, error) { return openMySQL(cfg) }
