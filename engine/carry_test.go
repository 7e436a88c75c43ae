package engine

import (
	"context"
	"strings"
	"testing"
)

// carriedCase is a source table, copied with create into another engine.
type carriedCase struct {
	name      string
	src, dst  func(t *testing.T) *DB
	create    []string
	notes     []string // what the plan must say was not carried
	notNotes  []string // what it must not mention
	insert    string   // a row naming only the key and code, so the rest are defaults
	defaults  string   // the defaulted columns of that row, read as text
	want      string
	duplicate string // a row the carried unique index refuses
}

// A table created on another engine keeps the defaults that mean the same
// there and the plain secondary indexes; the plan names what it does not
// keep, before anything is written.
func TestCreateCarriesDefaultsAndIndexes(t *testing.T) {
	my := func(t *testing.T) *DB { return openMySQLT(t) }
	lite := func(t *testing.T) *DB { return openSQLiteT(t, "carried.db") }
	pg := func(t *testing.T) *DB { return openPostgresT(t) }
	mysqlSource := []string{`CREATE TABLE carried (
		id INT AUTO_INCREMENT PRIMARY KEY,
		qty INT NOT NULL DEFAULT 5,
		label VARCHAR(20) DEFAULT 'it''s',
		price DECIMAL(6,2) DEFAULT 1.50,
		made DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
		token CHAR(36) DEFAULT (uuid()),
		code VARCHAR(10) NOT NULL,
		body TEXT,
		UNIQUE KEY uq_code (qty, code),
		KEY ix_label (label),
		KEY ix_prefix (code(3)),
		FULLTEXT KEY ft_body (body))`,
		"INSERT INTO carried (code, body) VALUES ('a', 'x'), ('b', 'y')"}
	mysqlNotes := []string{"the default of token (uuid()", "ON UPDATE CURRENT_TIMESTAMP of made",
		"index ft_body (a FULLTEXT index)", "index ix_prefix (it indexes a prefix of a column)"}
	cases := []carriedCase{{
		name: "mysql to sqlite", src: my, dst: lite, create: mysqlSource, notes: mysqlNotes,
		notNotes: []string{"numbering"}, // an INTEGER PRIMARY KEY numbers rows in SQLite
		insert:   "INSERT INTO carried (id, code) VALUES (100, 'z')",
		defaults: "SELECT qty || '|' || label || '|' || price || '|' || (made IS NOT NULL) FROM carried WHERE id = 100",
		want:     "5|it's|1.50|1", duplicate: "INSERT INTO carried (id, code) VALUES (101, 'z')",
	}, {
		name: "mysql to postgres", src: my, dst: pg, create: mysqlSource,
		notes:    append([]string{"the numbering of id"}, mysqlNotes...),
		insert:   "INSERT INTO carried (id, code) VALUES (100, 'z')",
		defaults: "SELECT qty || '|' || label || '|' || price || '|' || (made IS NOT NULL) FROM carried WHERE id = 100",
		want:     "5|it's|1.50|true", duplicate: "INSERT INTO carried (id, code) VALUES (101, 'z')",
	}, {
		name: "sqlite to mysql", src: lite, dst: my,
		create: []string{`CREATE TABLE carried (id INTEGER PRIMARY KEY, qty INT NOT NULL DEFAULT 5,
			label VARCHAR(20) DEFAULT 'it''s', made DATETIME DEFAULT CURRENT_TIMESTAMP,
			code VARCHAR(10) NOT NULL, note TEXT DEFAULT (lower('X')), UNIQUE (qty, code))`,
			"CREATE INDEX ix_label ON carried (label)", "CREATE INDEX ix_lower ON carried (lower(label))",
			"CREATE INDEX ix_note ON carried (note)", "INSERT INTO carried (code) VALUES ('a'), ('b')"},
		notes: []string{"the numbering of id", "the default of note", "index ix_lower (an index on an expression)",
			"index ix_note (MySQL indexes a TEXT or BLOB column only by a prefix)"},
		insert:   "INSERT INTO carried (id, code) VALUES (100, 'z')",
		defaults: "SELECT CONCAT_WS('|', qty, label, made IS NOT NULL) FROM carried WHERE id = 100",
		want:     "5|it's|1", duplicate: "INSERT INTO carried (id, code) VALUES (101, 'z')",
	}, {
		name: "postgres to mysql", src: pg, dst: my,
		create: []string{`CREATE TABLE carried (id serial PRIMARY KEY, qty int NOT NULL DEFAULT -5,
			label varchar(20) DEFAULT 'it''s', ok boolean DEFAULT true, made timestamp DEFAULT now(),
			seen timestamptz DEFAULT now(), token uuid DEFAULT gen_random_uuid(), code varchar(10) NOT NULL,
			UNIQUE (qty, code))`,
			"CREATE INDEX ix_part ON carried (label) WHERE ok", "INSERT INTO carried (code) VALUES ('a'), ('b')"},
		notes: []string{"the numbering of id", "the default of token", "index ix_part (a partial index)",
			"the default of seen (now(): the column holds UTC"},
		insert:   "INSERT INTO carried (id, code) VALUES (100, 'z')",
		defaults: "SELECT CONCAT_WS('|', qty, label, ok, made IS NOT NULL) FROM carried WHERE id = 100",
		want:     "-5|it's|1|1", duplicate: "INSERT INTO carried (id, code) VALUES (101, 'z')",
	}, {
		name: "postgres to postgres", src: pg, dst: pg,
		create: []string{`CREATE TABLE carried (id serial PRIMARY KEY, qty int NOT NULL DEFAULT -5,
			label varchar(20) DEFAULT 'it''s', ok boolean DEFAULT true, made timestamptz DEFAULT now(),
			token text DEFAULT md5(random()::text), code varchar(10) NOT NULL, UNIQUE (qty, code))`,
			"CREATE INDEX ix_lower ON carried (lower(label))", "INSERT INTO carried (code) VALUES ('a'), ('b')"},
		notes:    []string{"the numbering of id", "the default of token"},
		notNotes: []string{"not created"}, // PostgreSQL rebuilds every index from its definition
		insert:   "INSERT INTO carried (id, code) VALUES (100, 'z')",
		defaults: "SELECT qty || '|' || label || '|' || ok || '|' || (made IS NOT NULL) FROM carried WHERE id = 100",
		want:     "-5|it's|true|true", duplicate: "INSERT INTO carried (id, code) VALUES (101, 'z')",
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.run(t) })
	}
}

func (tc carriedCase) run(t *testing.T) {
	ctx := context.Background()
	src, dst := tc.src(t), tc.dst(t)
	execT(t, src, tc.create...)
	p, err := PreflightPlan(ctx, src, dst, PreflightOptions{Engine: PlanCopy, Tables: []string{"carried"}, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Problems) > 0 {
		t.Fatalf("plan refused: %v", p.Problems)
	}
	notes := strings.Join(p.Tables[0].Notes, "\n")
	for _, want := range tc.notes {
		if !strings.Contains(notes, want) {
			t.Errorf("plan notes lack %q:\n%s", want, notes)
		}
	}
	for _, not := range tc.notNotes {
		if strings.Contains(notes, not) {
			t.Errorf("plan notes mention %q:\n%s", not, notes)
		}
	}
	copyT(t, src, dst, CopyOptions{Tables: []string{"carried"}, Create: true})
	execT(t, dst, tc.insert)
	if got := textColumn(t, dst, tc.defaults); len(got) != 1 || got[0] != tc.want {
		t.Errorf("defaults on the created table: got %q, want %q", got, tc.want)
	}
	if _, err := dst.SQL().Exec(tc.duplicate); err == nil {
		t.Errorf("the created table took a duplicate of its source's unique key: %s", tc.duplicate)
	}
}

// Index names from MySQL, which names indexes per table, never meet on an
// engine that names them per schema: not PostgreSQL's own <table>_pkey,
// not tables a and a_b with indexes b_c and c. A clash would pass for an
// index built by an earlier run, and the unique index would be lost.
func TestCarriedIndexNamesNeverMeet(t *testing.T) {
	my := openMySQLT(t)
	execT(t, my, "CREATE TABLE a (id INT PRIMARY KEY, v INT, UNIQUE KEY b_c (v))",
		"CREATE TABLE a_b (id INT PRIMARY KEY, w INT, UNIQUE KEY c (w))",
		"CREATE TABLE ix1 (id INT PRIMARY KEY, a INT, UNIQUE KEY pkey (a))")
	for name, dst := range map[string]*DB{"sqlite": openSQLiteT(t, "names.db"), "postgres": openPostgresT(t)} {
		t.Run(name, func(t *testing.T) {
			copyT(t, my, dst, CopyOptions{Tables: []string{"a", "a_b", "ix1"}, Create: true})
			for _, dup := range []string{"INSERT INTO a VALUES (1, 7), (2, 7)", "INSERT INTO a_b VALUES (1, 7), (2, 7)",
				"INSERT INTO ix1 VALUES (1, 7), (2, 7)"} {
				if _, err := dst.SQL().Exec(dup); err == nil {
					t.Errorf("%s: the unique index was not created", dup)
				}
			}
		})
	}
}
