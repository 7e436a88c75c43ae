package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"runway/engine/enginetest"
)

// The application's sessions are not runway's: one whose search_path does
// not lead to runway's schema, and whose floats print rounded
// (extra_float_digits = 0, the old default), still logs every change in
// runway's log table under the key runway reads back.
func TestPostgresTriggersKeepRunwaySettings(t *testing.T) {
	base := enginetest.PostgresPrefixed(t, "rw_pgcore_")
	ctx := context.Background()
	app, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close(ctx)
	appExec := func(stmts ...string) {
		t.Helper()
		for _, q := range stmts {
			if _, err := app.Exec(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	appExec("CREATE SCHEMA app", "CREATE TABLE app.items (k float8 PRIMARY KEY, v text)",
		"INSERT INTO app.items VALUES (0.1::float8 + 0.2::float8, 'a'), (1, 'b'), (2, 'c')",
		"CREATE TABLE public.change_log (id bigserial PRIMARY KEY, table_name text, pk text, changed_at timestamptz DEFAULT now())")
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	src, err := OpenURL(base + sep + "search_path=app")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst := openPostgresT(t)
	tables := []string{"items"}
	copyT(t, src, dst, CopyOptions{Tables: tables, Create: true})
	installT(t, src, tables)
	appExec("SET extra_float_digits = 0",
		"UPDATE app.items SET v = 'changed' WHERE k = 0.1::float8 + 0.2::float8", "DELETE FROM app.items WHERE k = 2")
	if _, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained}); err != nil {
		t.Fatal(err)
	}
	verifyNoDiffs(t, src, dst, "items")
	var stray int
	if err := app.QueryRow(ctx, "SELECT count(*) FROM public.change_log").Scan(&stray); err != nil || stray != 0 {
		t.Fatalf("the application's own change_log got %d rows (%v), want none", stray, err)
	}
}
