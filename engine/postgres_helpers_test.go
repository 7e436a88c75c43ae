package engine

import (
	"net/url"
	"strings"
	"testing"

	"runway/engine/enginetest"
)

// openPostgresT opens a fresh PostgreSQL database of the test server.
func openPostgresT(t testing.TB) *DB {
	t.Helper()
	d, err := OpenURL(enginetest.PostgresPrefixed(t, "rw_pgcore_"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// openPostgresUserT opens admin's database as a new role that is not a
// superuser and owns the database and its public schema: runway's writers
// there keep the target's foreign keys in force. Roles belong to the
// server, so the role and what it owns are dropped at the end.
func openPostgresUserT(t testing.TB, admin *DB) *DB {
	t.Helper()
	var name string
	if err := admin.db.QueryRow("SELECT current_database()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	role := "rw_user_" + strings.TrimPrefix(name, "rw_pgcore_")
	execT(t, admin, "CREATE ROLE "+role+" LOGIN", "ALTER DATABASE "+quotePG(name)+" OWNER TO "+role,
		"ALTER SCHEMA public OWNER TO "+role)
	t.Cleanup(func() {
		for _, q := range []string{"REASSIGN OWNED BY " + role + " TO CURRENT_USER", "DROP OWNED BY " + role, "DROP ROLE " + role} {
			if _, err := admin.db.Exec(q); err != nil {
				t.Errorf("%s: %v", q, err)
			}
		}
	})
	u, err := url.Parse(admin.ident)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)
	d, err := OpenURL(u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}
