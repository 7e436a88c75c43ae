package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestCopyPostgresUserTypes copies tables whose columns have types of
// their own between two PostgreSQL databases. A domain, a composite or an
// enum in a schema the target lacks made the created table fail after the
// preflight had passed (an enum type of another table already created),
// and an enum of the same name with other labels or order was taken as it
// was; each is now a problem of the preflight, naming the column and both
// definitions, with nothing written. Once the target has the types, the
// tables are copied and verified, an array of an enum included (its enum
// is created too).
func TestCopyPostgresUserTypes(t *testing.T) {
	ctx := context.Background()
	src := openPostgresT(t)
	execT(t, src,
		`CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')`,
		`CREATE DOMAIN posint AS integer CHECK (VALUE > 0)`,
		`CREATE TYPE pair AS (a int, b text)`,
		`CREATE SCHEMA other`,
		`CREATE TYPE other.status AS ENUM ('new', 'done')`,
		`CREATE TYPE color AS ENUM ('red', 'green', 'blue')`,
		`CREATE TABLE moods (id int PRIMARY KEY, m mood, ms mood[])`,
		`CREATE TABLE dom (id int PRIMARY KEY, p posint)`,
		`CREATE TABLE comp (id int PRIMARY KEY, pr pair)`,
		`CREATE TABLE st (id int PRIMARY KEY, s other.status)`,
		`CREATE TABLE colors (id int PRIMARY KEY, c color)`,
		`CREATE TABLE earr (id int PRIMARY KEY, cs color[])`,
		`INSERT INTO moods VALUES (1, 'sad', '{ok,happy}'), (2, NULL, NULL)`,
		`INSERT INTO dom VALUES (1, 5), (2, NULL)`,
		`INSERT INTO comp VALUES (1, ROW(1, 'x')), (2, NULL)`,
		`INSERT INTO st VALUES (1, 'new'), (2, 'done')`,
		`INSERT INTO colors VALUES (1, 'red'), (2, 'blue')`,
		`INSERT INTO earr VALUES (1, '{blue,red}')`,
	)
	dst := openPostgresT(t)
	execT(t, dst, `CREATE TYPE color AS ENUM ('blue', 'green', 'red')`)
	tables := []string{"moods", "dom", "comp", "st", "colors", "earr"}
	_, err := Copy(ctx, src, dst, CopyOptions{Tables: tables, Create: true})
	var pe *PreflightError
	if !errors.As(err, &pe) {
		t.Fatalf("copy: %v, want the preflight's refusal", err)
	}
	want := map[string]string{
		"dom.p":     "posint, a domain over integer CHECK ((VALUE > 0)), which does not exist in",
		"comp.pr":   "pair, a composite (a integer, b text), which does not exist in",
		"st.s":      "other.status, an enum ('new', 'done') in the schema other, which does not exist in",
		"colors.c":  "color, an enum ('red', 'green', 'blue') on the source but an enum ('blue', 'green', 'red') in",
		"earr.cs":   "color[], an enum ('red', 'green', 'blue') on the source but an enum ('blue', 'green', 'red') in",
		"moods.m":   "",
		"moods.ms":  "",
		"colors.id": "",
	}
	got := map[string]string{}
	for _, p := range pe.Plan.Problems {
		got[p.Table+"."+p.Column] = p.Text
		if strings.Contains(p.Text, "\n") {
			t.Errorf("a problem on two lines: %q", p.Text)
		}
	}
	for col, w := range want {
		switch {
		case w == "" && got[col] != "":
			t.Errorf("%s: unexpected problem %q", col, got[col])
		case w != "" && !strings.Contains(got[col], w):
			t.Errorf("%s: problem %q, want it to say %q", col, got[col], w)
		}
	}
	if n := len(textColumn(t, dst, `SELECT typname::text FROM pg_type WHERE typname IN ('mood', '_mood')`)); n != 0 {
		t.Errorf("the refused copy created %d types", n)
	}

	execT(t, dst, `CREATE DOMAIN posint AS integer CHECK (VALUE > 0)`, `CREATE TYPE pair AS (a int, b text)`,
		`CREATE SCHEMA other`, `DROP TYPE color`, `CREATE TYPE color AS ENUM ('red', 'green', 'blue')`)
	copyT(t, src, dst, CopyOptions{Tables: tables, Create: true})
	for _, table := range tables {
		verifyNoDiffs(t, src, dst, table)
	}

	// a type that differs under a table that exists is refused too, by
	// verify as by copy: the same text can mean other fields
	execT(t, dst, `ALTER TYPE pair RENAME ATTRIBUTE a TO z`)
	_, err = Verify(ctx, src, dst, VerifyOptions{Tables: []string{"comp"}})
	if !errors.As(err, &pe) || len(pe.Plan.Problems) != 1 || !strings.Contains(pe.Plan.Problems[0].Text, "a composite (a integer, b text) on the source but a composite (z integer, b text) in") {
		t.Errorf("verify of a composite whose field was renamed on the target: %v", err)
	}
}
