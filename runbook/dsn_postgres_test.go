package runbook

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// pgPassword holds every character that a URL, a Go string or libpq quoting
// escapes.
const pgPassword = `q'u"o\te@x%y z`

func pgRunbook(dsn string) string {
	return "version: 1\nname: t\nconnections:\n  pg: {driver: postgres, dsn: \"" + dsn + "\"}\n" +
		"phases:\n  - id: p1\n    title: P1\n    items:\n      - {id: a, title: A, manual: {}}\n"
}

// TestPostgresDSNLint: a PostgreSQL connection takes a postgres:// or
// postgresql:// URL; problems carry file:line:col and never the password.
func TestPostgresDSNLint(t *testing.T) {
	escaped := url.UserPassword("", pgPassword).String()[1:]
	env := map[string]string{"PW": escaped, "RAW": "a b\"c", "BAD": "50%zz" + escaped, "KV": "host=h user=u password='" + strings.ReplaceAll(pgPassword, `'`, `\'`) + "' dbname=d"}
	const at = `rb.yaml:4:31: connection "pg": `
	cases := []struct{ dsn, want string }{
		{`postgres://app:${PW}@db.example:5432/orders`, ""},
		{`postgresql://app:${PW}@db.example/orders?search_path=shop&sslmode=require`, ""},
		{`postgres://app@127.0.0.1:5432/orders?connect_timeout=5`, ""},
		{`postgres://app:hunter2@h:5432/orders`, at + `dsn: the password is written in the runbook, whose text the audit log stores as written; write it as ${VAR} and set VAR in the environment`},
		{`postgres://app:${BAD}@h:5432/orders`, at + `dsn is not a valid PostgreSQL URL (invalid URL escape; escape the password's special characters: %40 for @, %25 for %, %20 for a space)`},
		{`postgres://app:${RAW}@h:5432/orders`, at + `dsn is not a valid PostgreSQL URL (net/url: invalid userinfo; escape the password's special characters: %40 for @, %25 for %, %20 for a space)`},
		{`${KV}`, at + `dsn is not a PostgreSQL URL (write postgres://user:password@host:5432/database; key=value DSNs are not accepted)`},
		{`postgres://app:${PW}@h:5432/`, at + `dsn: no database named (write postgres://user:password@host:5432/database)`},
		{`postgres://app:${PW}@:5432/orders`, at + `dsn: no host (write postgres://user:password@host:5432/database)`},
		{`postgres://app:${PW}@h:99999/orders`, at + `dsn: the port is not a number from 1 to 65535`},
		{`postgres://app:${PW}@h/orders?sslmode=${PW}`, at + `dsn: sslmode must be disable, allow, prefer, require, verify-ca or verify-full`},
		{`postgres://app:${PW}@h/orders?timezone=UTC`, at + `dsn: unknown parameter "timezone" (use sslmode, search_path, connect_timeout, application_name, sslrootcert, sslcert, sslkey, sslpassword or target_session_attrs)`},
	}
	for _, c := range cases {
		got := problemsOf(t, pgRunbook(c.dsn), env)
		if strings.Join(got, "\n") != c.want {
			t.Errorf("dsn %s:\n got %q\nwant %q", c.dsn, got, c.want)
		}
		for _, form := range []string{pgPassword, escaped, "hunter2", "te@x", `a b"c`, "50%zz"} {
			if strings.Contains(strings.Join(got, "\n"), form) {
				t.Errorf("dsn %s: the password is shown as %q: %q", c.dsn, form, got)
			}
		}
	}
}

// TestPostgresPasswordMaskedInEveryForm: once a runbook is read, its
// Secrets mask the PostgreSQL password raw, URL-escaped and quoted.
func TestPostgresPasswordMaskedInEveryForm(t *testing.T) {
	escaped := url.UserPassword("", pgPassword).String()[1:]
	rb, err := Parse("rb.yaml", []byte(pgRunbook(`postgres://app:${PW}@h:5432/orders`)), mapEnv(map[string]string{"PW": escaped}))
	if err != nil {
		t.Fatal(err)
	}
	for _, form := range []string{pgPassword, escaped, strconv.Quote(pgPassword), url.QueryEscape(pgPassword), "'" + strings.ReplaceAll(pgPassword, `'`, `''`) + "'"} {
		for _, frag := range []string{pgPassword, escaped, `u\"o\\te`} {
			if out := rb.Secrets.String("error: " + form + " end"); strings.Contains(out, frag) {
				t.Errorf("form %s: %q still holds %q", form, out, frag)
			}
		}
	}
}

// TestKeywordDSNPasswordMasked: a refused key=value DSN's password, quoted
// with escaped quotes, is still a secret.
func TestKeywordDSNPasswordMasked(t *testing.T) {
	kv := `host=h user=u password='` + strings.ReplaceAll(strings.ReplaceAll(pgPassword, `\`, `\\`), `'`, `\'`) + `' dbname=d`
	got := keywordPasswords(kv)
	if len(got) != 2 || got[1] != pgPassword {
		t.Fatalf("keywordPasswords(%s) = %q, want the unescaped %q among them", kv, got, pgPassword)
	}
	if got := keywordPasswords("host=h mypassword=x password=plain dbname=d"); len(got) == 0 || got[0] != "plain" {
		t.Errorf("unquoted password: %q", got)
	}
}
