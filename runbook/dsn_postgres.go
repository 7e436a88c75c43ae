package runbook

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// PostgreSQL DSNs are read with net/url, not pgx's pgconn.ParseConfig: that
// parser also reads PGPASSWORD, ~/.pgpass and service files, so a lint would
// pass or fail with the machine it runs on, and it would link the wire
// protocol into the runbook format (see deps_test.go).

// pgSchemes are the URL schemes libpq and pgx accept.
var pgSchemes = []string{"postgres", "postgresql"}

// pgParams are the query parameters a runbook's PostgreSQL URL may set;
// anything else would be sent to the server as a setting and refused there.
var pgParams = []string{"sslmode", "search_path", "connect_timeout", "application_name",
	"sslrootcert", "sslcert", "sslkey", "sslpassword", "target_session_attrs"}

var pgSSLModes = []string{"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}

// checkPostgresDSN validates a PostgreSQL URL, registering its password (as
// decoded and as written) as a secret first, so that no problem or later
// message shows it. Problems name the part that is wrong, never its value.
func (d *decoder) checkPostgresDSN(name string, v kv, dsn string) {
	if v.val != nil && isScalar(v.val) && literalPassword(pgUserinfo(markRefs(nodeText(v.val)))) {
		d.problem(v.pos(), "connection %q: dsn: the password is written in the runbook, whose text the audit log stores as written; write it as ${VAR} and set VAR in the environment", name)
	}
	d.secrets.Add(pgRawPasswords(dsn)...)
	if !hasPGScheme(dsn) {
		d.secrets.Add(keywordPasswords(dsn)...)
		d.problem(v.pos(), "connection %q: dsn is not a PostgreSQL URL (write postgres://user:password@host:5432/database; key=value DSNs are not accepted)", name)
		return
	}
	u, err := url.Parse(dsn)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its Op and URL would quote the DSN
		}
		d.problem(v.pos(), "connection %q: dsn is not a valid PostgreSQL URL (%s; escape the password's special characters: %%40 for @, %%25 for %%, %%20 for a space)", name, reasonWords(err))
		return
	}
	if pw, ok := u.User.Password(); ok {
		d.secrets.Add(pw, url.UserPassword("", pw).String()[1:])
	}
	if why := pgURLProblem(u); why != "" {
		d.problem(v.pos(), "connection %q: dsn: %s", name, why)
	}
}

// pgURLProblem is what is wrong with a parsed PostgreSQL URL, or "".
func pgURLProblem(u *url.URL) string {
	switch {
	case u.Hostname() == "":
		return "no host (write postgres://user:password@host:5432/database)"
	case u.User == nil || u.User.Username() == "":
		return "no user (write postgres://user:password@host:5432/database)"
	case strings.Trim(u.Path, "/") == "":
		return "no database named (write postgres://user:password@host:5432/database)"
	case strings.Contains(strings.Trim(u.Path, "/"), "/"):
		return "the database name holds a '/'"
	case u.Fragment != "":
		return "a URL fragment (#…) has no meaning here"
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "the port is not a number from 1 to 65535"
		}
	}
	return pgQueryProblem(u.Query())
}

// pgQueryProblem checks the URL's parameters by name; values are not shown.
func pgQueryProblem(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		switch {
		case !slices.Contains(pgParams, k):
			return "unknown parameter " + strconv.Quote(k) + " (use " + orList(pgParams) + ")"
		case len(q[k]) > 1:
			return "parameter " + strconv.Quote(k) + " is given more than once"
		case k == "sslmode" && !slices.Contains(pgSSLModes, q.Get(k)):
			return "sslmode must be " + orList(pgSSLModes)
		case k == "connect_timeout":
			if n, err := strconv.Atoi(q.Get(k)); err != nil || n < 0 {
				return "connect_timeout must be a whole number of seconds"
			}
		}
	}
	return ""
}

func hasPGScheme(dsn string) bool {
	for _, s := range pgSchemes {
		if len(dsn) > len(s)+3 && strings.EqualFold(dsn[:len(s)+3], s+"://") {
			return true
		}
	}
	return false
}

// pgUserinfo turns a PostgreSQL URL into the user:password@host/… shape
// guessPassword reads: the scheme is dropped and the authority ends at the
// first '/', '?' or '#'.
func pgUserinfo(dsn string) string {
	if _, rest, ok := strings.Cut(dsn, "://"); ok {
		dsn = rest
	}
	if i := strings.IndexAny(dsn, "/?#"); i >= 0 {
		dsn = dsn[:i]
	}
	return dsn + "/"
}

// pgRawPasswords is the password of a PostgreSQL URL as written and
// unescaped, found without a parser so a URL it rejects is masked too.
func pgRawPasswords(dsn string) []string {
	pw := guessPassword(pgUserinfo(dsn))
	if dec, err := url.PathUnescape(pw); err == nil && dec != pw {
		return []string{pw, dec}
	}
	return []string{pw}
}
