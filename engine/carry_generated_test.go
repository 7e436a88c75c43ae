package engine

import (
	"context"
	"strings"
	"testing"
)

// A generated column is left out of a table created on another engine (its
// expression is not translated); the plan and the copy's not-carried notes
// name it, one line each. Within one engine it is created, and not named.
func TestCreateNamesGeneratedColumnsNotCarried(t *testing.T) {
	my := func(t *testing.T) *DB { return openMySQLT(t) }
	lite := func(t *testing.T) *DB { return openSQLiteT(t, "gen.db") }
	pg := func(t *testing.T) *DB { return openPostgresT(t) }
	mysqlGen := "CREATE TABLE gen (id INT PRIMARY KEY, a INT, total DECIMAL(10,2) AS (a * 1.5) STORED, half INT AS (a DIV 2) VIRTUAL)"
	pgGen := "CREATE TABLE gen (id int PRIMARY KEY, a int, total numeric(10,2) GENERATED ALWAYS AS (a * 1.5) STORED)"
	liteGen := "CREATE TABLE gen (id INTEGER PRIMARY KEY, a INT, total REAL GENERATED ALWAYS AS (a * 1.5) STORED, half INT AS (a / 2) VIRTUAL)"
	for _, tc := range []struct {
		name      string
		src, dst  func(t *testing.T) *DB
		create    string
		generated []string // columns named as not carried; none: created on the target
	}{
		{"mysql to postgres", my, pg, mysqlGen, []string{"total", "half"}},
		{"mysql to sqlite", my, lite, mysqlGen, []string{"total", "half"}},
		{"postgres to mysql", pg, my, pgGen, []string{"total"}},
		{"sqlite to postgres", lite, pg, liteGen, []string{"total", "half"}},
		{"postgres to postgres", pg, pg, pgGen, nil},
		{"mysql to mysql", my, my, mysqlGen, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, dst := tc.src(t), tc.dst(t)
			execT(t, src, tc.create, "INSERT INTO gen (id, a) VALUES (1, 4)")
			p, err := PreflightPlan(context.Background(), src, dst, PreflightOptions{Engine: PlanCopy, Tables: []string{"gen"}, Create: true})
			if err != nil {
				t.Fatal(err)
			}
			res := copyT(t, src, dst, CopyOptions{Tables: []string{"gen"}, Create: true})
			wantGeneratedNotes(t, "plan", p.Tables[0].Notes, tc.generated)
			wantGeneratedNotes(t, "copy", res.Tables[0].NotCarried, tc.generated)
			if dt, err := dst.Table(context.Background(), "gen"); err != nil || (tc.generated == nil) != (dt.Column("total") != nil) {
				t.Errorf("created table %+v (%v): column total there %v, want %v", dt, err, dt != nil && dt.Column("total") != nil, tc.generated == nil)
			}
		})
	}
}

// wantGeneratedNotes checks that notes name each of generated as a
// generated column not carried, one line each, and name no other.
func wantGeneratedNotes(t *testing.T, what string, notes, generated []string) {
	t.Helper()
	var named []string
	for _, n := range notes {
		if rest, ok := strings.CutPrefix(n, "not carried: the generated column "); ok {
			named = append(named, strings.Fields(rest)[0])
		}
	}
	if strings.Join(named, ",") != strings.Join(generated, ",") {
		t.Errorf("%s notes name the generated columns %q, want %q:\n%s", what, named, generated, strings.Join(notes, "\n"))
	}
}
