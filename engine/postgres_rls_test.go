package engine

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"runway/engine/enginetest"
)

// A source table whose row-level security policy hides rows from runway's
// role is refused, naming the table, rather than copied and verified in
// part: a copy of 20 of 30 rows passed verify at 100 %.
func TestPostgresRowSecurityRefused(t *testing.T) {
	base := enginetest.PostgresPrefixed(t, "rw_pgcore_")
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	u, _ := url.Parse(base)
	role := "rw_rls_" + strings.TrimPrefix(strings.TrimPrefix(u.Path, "/"), "rw_pgcore_")
	for _, q := range []string{"CREATE ROLE " + role + " LOGIN",
		"CREATE TABLE docs (id int PRIMARY KEY, tenant text NOT NULL, body text)",
		"INSERT INTO docs SELECT g, CASE WHEN g % 3 = 0 THEN 'other' ELSE '" + role + "' END, 'b' || g FROM generate_series(1, 30) g",
		"ALTER TABLE docs ENABLE ROW LEVEL SECURITY", "CREATE POLICY own ON docs USING (tenant = current_user)",
		"GRANT SELECT ON docs TO " + role} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	t.Cleanup(func() {
		admin, err := pgx.Connect(context.Background(), base)
		if err == nil {
			admin.Exec(context.Background(), "DROP OWNED BY "+role)
			admin.Exec(context.Background(), "DROP ROLE "+role)
			admin.Close(context.Background())
		}
	})
	u.User = url.User(role)
	src, err := OpenURL(u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst := openPostgresT(t)
	res, err := Copy(ctx, src, dst, CopyOptions{Tables: []string{"docs"}, Create: true})
	if err == nil {
		t.Fatalf("copy of a table whose policy hides rows passed with %+v", res.Tables)
	}
	if !strings.Contains(err.Error(), "docs") || !strings.Contains(err.Error(), "row-level security") {
		t.Fatalf("copy failed with %q, want the table and row-level security named", err)
	}
	execT(t, dst, "CREATE TABLE IF NOT EXISTS docs (id int PRIMARY KEY, tenant text NOT NULL, body text)")
	if _, err := Verify(ctx, src, dst, VerifyOptions{Tables: []string{"docs"}}); err == nil || !strings.Contains(err.Error(), "row-level security") {
		t.Fatalf("verify of a table whose policy hides rows: %v, want it refused", err)
	}
}
