package runbook

import (
	"path/filepath"
	"regexp"
	"strings"

	"github.com/go-sql-driver/mysql"
)

// Drivers a connection may name.
var drivers = []string{"mysql", "postgres", "sqlite"}

// checkDSN validates a connection's DSN for its driver and returns it ready
// to open: a MySQL DSN's or PostgreSQL URL's password is registered as a secret and must come
// from a variable (the runbook's text is stored in the audit log as
// written), a SQLite path is made absolute under the runbook's folder.
// Problems never quote the DSN.
func (d *decoder) checkDSN(name, driver string, v kv, dsn string) string {
	switch driver {
	case "mysql":
		if v.val != nil && isScalar(v.val) && literalPassword(nodeText(v.val)) {
			d.problem(v.pos(), "connection %q: dsn: the password is written in the runbook, whose text the audit log stores as written; write it as ${VAR} and set VAR in the environment", name)
		}
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil {
			d.secrets.Add(guessPassword(dsn))
			hint := ""
			if strings.Contains(dsn, "://") {
				hint = " (write user:password@tcp(host:3306)/database, not a URL)"
			}
			if v.val != nil && strings.Contains(nodeText(v.val), "${") {
				d.problem(v.pos(), "connection %q: dsn is not a valid MySQL DSN (%s; a variable's value is not quoted)%s", name, reasonWords(err), hint)
				return dsn
			}
			d.problem(v.pos(), "connection %q: dsn is not a valid MySQL DSN: %v%s", name, err, hint)
			return dsn
		}
		d.secrets.Add(cfg.Passwd)
		return dsn
	case "postgres":
		d.checkPostgresDSN(name, v, dsn)
		return dsn
	case "sqlite":
		return sqliteDSN(d.dir, dsn)
	}
	return dsn
}

// reasonWords is the reason of a DSN or URL parse error without any
// fragment of the text it read: what is quoted ("…" or '…') is dropped, and
// so is what follows a colon (invalid bool value: VALUE), but a reason
// wrapped under it (invalid dbname: invalid URL escape) keeps its words.
// For a DSN that holds a variable's value, which is a secret.
func reasonWords(err error) string {
	msg := err.Error()
	prefix := ""
	if rest, ok := strings.CutPrefix(msg, "invalid DSN: "); ok {
		prefix, msg = "invalid DSN: ", rest
	}
	var words []string
	for i, part := range strings.Split(msg, ": ") {
		if i > 0 && !knownReason(part) {
			break
		}
		words = append(words, strings.Join(strings.Fields(quoted.ReplaceAllString(part, "")), " "))
	}
	return prefix + strings.Join(words, ": ")
}

// quoted matches a quoted fragment of an error message.
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'[^']*'|` + "`[^`]*`")

// knownReason reports whether a part of an error message after a colon is
// the text of a nested error that names no value (its quotes aside).
func knownReason(part string) bool {
	for _, r := range []string{"invalid URL escape", "invalid character", "invalid port", "invalid userinfo"} {
		if strings.HasPrefix(part, r) {
			return true
		}
	}
	return false
}

// guessPassword finds the password of a DSN the driver rejected, the way
// the driver would (user:password before the last '@' that precedes the last
// '/'), so that the rejection can still be shown without it.
func guessPassword(dsn string) string {
	head := dsn
	if i := strings.LastIndex(head, "/"); i >= 0 {
		head = head[:i]
	}
	at := strings.LastIndex(head, "@")
	if at < 0 {
		return ""
	}
	_, pw, _ := strings.Cut(head[:at], ":")
	return pw
}

// sqliteDSN resolves a SQLite DSN against the runbook's folder: a plain
// relative path, or the relative path of a "file:" URI, becomes absolute;
// the query ("?mode=ro", "?_pragma=…") is kept. ":memory:", absolute paths,
// "file://" authorities and in-memory URIs are left alone.
func sqliteDSN(dir, dsn string) string {
	uri := strings.HasPrefix(dsn, "file:")
	rest := strings.TrimPrefix(dsn, "file:")
	p, query, hasQuery := strings.Cut(rest, "?")
	switch {
	case p == "", p == ":memory:", filepath.IsAbs(p), strings.HasPrefix(p, "/"):
		return dsn
	case uri && strings.Contains("&"+query+"&", "&mode=memory&"):
		return dsn
	}
	var out string
	if uri {
		out = "file:" + filepath.ToSlash(filepath.Join(escapeURIPath(dir), p))
	} else {
		out = filepath.Join(dir, p)
	}
	if hasQuery {
		out += "?" + query
	}
	return out
}

// escapeURIPath escapes the characters that would end or alter the path of
// a file: URI.
func escapeURIPath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

// refMark stands for a variable's value in markRefs: no DSN holds a NUL.
const refMark = "\x00"

// literalPassword reports whether the password of a MySQL DSN as written in
// the file holds any text that does not come from a variable. A default
// written after ":-" is text in the file, so it counts as written. A
// password of "***" is not one: it is what an older runway stored in the
// audit log in place of the password, and replaying such a log reads it.
func literalPassword(raw string) bool {
	pw := strings.ReplaceAll(guessPassword(markRefs(raw)), refMark, "")
	return pw != "" && pw != Redacted
}

// markRefs replaces each ${VAR} reference in s with refMark (followed by its
// default, if it has one) and each escaped "$${" with "${".
func markRefs(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		if i > 0 && s[i-1] == '$' {
			b.WriteString(s[:i-1] + "${")
			s = s[i+2:]
			continue
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			b.WriteString(s)
			return b.String()
		}
		_, def, _ := strings.Cut(s[i+2:i+end], ":-")
		b.WriteString(s[:i] + refMark + def)
		s = s[i+end+1:]
	}
}
