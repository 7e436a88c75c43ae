package engine

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"runway/engine/enginetest"
)

// postgres:// URLs: what they accept, what they refuse with a sentence,
// and errors that never show the password.
func TestPostgresURLs(t *testing.T) {
	for _, raw := range []string{"postgres://app:s3cret@db.example:6432/shop?search_path=sales&sslmode=require",
		"postgresql://app@db.example/shop"} {
		if _, err := ParsePostgresURL(raw); err != nil {
			t.Errorf("%s: %v", RedactURL(raw), err)
		}
	}
	cases := []struct{ url, want, secret string }{
		{"postgres://app:s3cret@db:5432/shop?tls=true", `parse postgres://app:***@db:5432/shop?tls=true: unknown parameter "tls" (a postgres:// URL takes search_path, sslmode, sslrootcert, sslcert, sslkey, sslpassword, connect_timeout, application_name and target_session_attrs)`, "s3cret"},
		{"postgres://app:hunter2%zzq@db:5432/shop", "postgres://app:***@db:5432/shop is not a valid URL (invalid URL escape)", "hunter2%zzq"},
		{"postgres://app:ab/cd@db:5432/shop", "postgres://app:***@db:5432/shop is not a valid URL (invalid port)", "ab/cd"},
		{"postgres://app:s3cret@db:5432/", "parse postgres://app:***@db:5432/: want exactly one database name after the host", "s3cret"},
		{"postgres://app:s3cret@db:5432/shop?sslmode=sometimes", "parse postgres://app:***@db:5432/shop?sslmode=sometimes: ", "s3cret"},
	}
	for _, c := range cases {
		_, err := OpenURL(c.url)
		if err == nil {
			t.Errorf("%s: opened", c.url)
			continue
		}
		if !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s:\n got %q\nwant %q", c.url, err, c.want)
		}
		if strings.Contains(err.Error(), c.secret) {
			t.Errorf("%s: %q shows the password", c.url, err)
		}
	}
	d, err := OpenURL("postgres://app:s3cret@127.0.0.1:1/shop")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if d.String() != "postgres://app@127.0.0.1:1/shop" || d.Driver() != Postgres {
		t.Errorf("ident %q, driver %q", d, d.Driver())
	}
	err = d.Reach(context.Background(), 200*time.Millisecond)
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("unreachable server: %v", err)
	}
	if _, err := Open(Postgres, "host=127.0.0.1 port=x password=s3cret dbname=shop"); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("key=value DSN: %v", err)
	}
}

// A server that answers says which of its refusals it is, without the password.
func TestPostgresReachRefusal(t *testing.T) {
	u, err := url.Parse(enginetest.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), "s3cret")
	u.Path = "/rw_pgcore_no_such_database"
	d, err := OpenURL(u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	err = d.Reach(context.Background(), 5*time.Second)
	if err == nil || !strings.Contains(err.Error(), "no such database") || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("missing database: %v", err)
	}
}

// search_path names the schema tables are read from and created in, and
// runway's own tables are kept there too.
func TestPostgresSearchPath(t *testing.T) {
	raw := enginetest.PostgresPrefixed(t, "rw_pgcore_")
	admin, err := OpenURL(raw)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	execT(t, admin, `CREATE SCHEMA "Sales"`)
	d, err := OpenURL(raw + "?search_path=Sales")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	src := openSQLiteT(t, "src")
	execT(t, src, "CREATE TABLE orders (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO orders VALUES (1, 'a'), (2, 'b')")
	copyT(t, src, d, CopyOptions{Tables: []string{"orders"}, Create: true})
	got := textColumn(t, admin, `SELECT table_schema || '.' || table_name FROM information_schema.tables
		WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`)
	if strings.Join(got, " ") != "Sales._runway_checkpoints Sales._runway_storage Sales.orders" {
		t.Errorf("tables: %v", got)
	}
	if q := d.qualified("orders"); q != "Sales.orders" {
		t.Errorf("qualified %q", q)
	}
}

// A search_path naming a schema the database lacks is refused at first
// contact, by name, before a copy tries to create anything in it.
func TestPostgresReachMissingSchema(t *testing.T) {
	raw := enginetest.PostgresPrefixed(t, "rw_pgattack_")
	d, err := OpenURL(raw + "?search_path=Nowhere")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	err = d.Reach(context.Background(), 5*time.Second)
	if err == nil || !strings.Contains(err.Error(), `no such schema`) || !strings.Contains(err.Error(), `"Nowhere"`) {
		t.Errorf("missing schema: %v", err)
	}
}

// A refused login says the server's reason once, on one line, without the
// driver's framing: pgx tries with and without TLS and joins both failures.
func TestPostgresReachRefusalOneLine(t *testing.T) {
	u, err := url.Parse(enginetest.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword("rw_pgattack_no_such_role", "s3cret")
	q := u.Query()
	q.Set("sslmode", "prefer")
	u.RawQuery = q.Encode()
	d, err := OpenURL(u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	err = d.Reach(context.Background(), 5*time.Second)
	if err == nil {
		t.Fatal("reached with a role that does not exist")
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\n\t") || strings.Count(msg, "does not exist") != 1 ||
		!strings.Contains(msg, `login refused: role "rw_pgattack_no_such_role" does not exist`) || strings.Contains(msg, "s3cret") {
		t.Errorf("refused login: %q", msg)
	}
}

// A TLS handshake the client refuses (sslmode=verify-full against a server
// whose certificate does not name 127.0.0.1, or one without TLS) is said at
// once, with its reason in full: waiting will not change a certificate.
func TestPostgresReachTLSRefusal(t *testing.T) {
	u, err := url.Parse(enginetest.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("sslmode", "verify-full")
	u.RawQuery = q.Encode()
	d, err := OpenURL(u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	err = d.Reach(context.Background(), time.Minute)
	if err == nil {
		t.Skip("the test server's certificate verifies for this host")
	}
	msg := err.Error()
	if strings.Contains(msg, "not reachable") || !strings.Contains(msg, "TLS refused") || strings.HasSuffix(msg, "...") {
		t.Errorf("TLS refusal: %q", msg)
	}
}

// The parameters lint accepts in a runbook's postgres:// URL are accepted
// by the engines too, and a client key's passphrase (sslpassword) never
// shows in a message, as the password does not.
func TestPostgresURLParamsAsLint(t *testing.T) {
	base := enginetest.Postgres(t)
	d, err := OpenURL(base + "?target_session_attrs=read-write&application_name=rw")
	if err != nil {
		t.Fatalf("target_session_attrs: %v", err)
	}
	if err := d.Reach(context.Background(), 5*time.Second); err != nil {
		t.Errorf("reach with target_session_attrs: %v", err)
	}
	d.Close()
	for _, raw := range []string{
		"postgres://app:pw@db.example/shop?sslmode=require&sslcert=/nonexistent/c.pem&sslkey=/nonexistent/k.pem&sslpassword=Kp%40ss9secret",
		"postgres://app:pw@db.example/shop?sslpassword=Kp%40ss9secret&bogus=1",
		"postgres://app:pw@db.example:99999/shop?sslpassword=Kp%40ss9secret",
	} {
		_, err := ParsePostgresURL(raw)
		if err == nil {
			t.Errorf("%s: no error", RedactURL(raw))
			continue
		}
		if msg := err.Error(); strings.Contains(msg, "ss9secret") || strings.Contains(msg, "unknown parameter \"ssl") {
			t.Errorf("message %q", msg)
		}
	}
}
