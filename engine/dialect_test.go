package engine

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/iotest"
)

// The statements runway's own tables are kept with, per dialect: the move
// of the database differences into dialects must not change them.
func TestDialectUpsertShapes(t *testing.T) {
	for _, tc := range []struct {
		d    *DB
		want string
	}{
		{&DB{dialect: mysqlDialect{}}, " ON DUPLICATE KEY UPDATE position = VALUES(position), applied = VALUES(applied)"},
		{&DB{dialect: sqliteDialect{}}, " ON CONFLICT (job) DO UPDATE SET position = excluded.position, applied = excluded.applied"},
		{&DB{dialect: postgresDialect{}}, " ON CONFLICT (job) DO UPDATE SET position = excluded.position, applied = excluded.applied"},
	} {
		if got := upsertSuffix(tc.d, []string{"job"}, []string{"position", "applied"}); got != tc.want {
			t.Errorf("%s: upsert suffix\n got %q\nwant %q", tc.d.Driver(), got, tc.want)
		}
	}
}

func TestOpenChoosesTheDialect(t *testing.T) {
	d, err := Open(SQLite, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, ok := d.dialect.(sqliteDialect); !ok || d.Driver() != SQLite {
		t.Fatalf("sqlite database has dialect %T, driver %q", d.dialect, d.Driver())
	}
	p, err := Open(Postgres, "postgres://app@127.0.0.1:5432/shop?search_path=sales")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if pd, ok := p.dialect.(postgresDialect); !ok || p.Driver() != Postgres || pd.search != "sales" {
		t.Fatalf("postgres database has dialect %#v, driver %q", p.dialect, p.Driver())
	}
}

// TestNoDatabaseBranchesOutsideDialects guards the seam: outside the
// dialects and Open, no engine code asks which database it talks to.
func TestNoDatabaseBranchesOutsideDialects(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	branch := regexp.MustCompile(`driver [!=]= |dialect\.name\(\) [!=]= |\.\((mysql|sqlite|postgres)Dialect\)|Driver\(\) [!=]= |switch [a-z.]*Driver\(\)|case (MySQL|SQLite|Postgres)[:,]`)
	for _, f := range files {
		if strings.HasPrefix(f, "dialect") || f == "db.go" || strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if branch.MatchString(line) {
				t.Errorf("%s:%d branches on the database; ask the dialect instead: %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
}

// PostgreSQL placeholders are numbered; literals store exactly the value.
func TestPostgresSpelling(t *testing.T) {
	p := postgresDialect{}
	if got := p.bind("SELECT a FROM t WHERE job = ? AND tbl = ?"); got != "SELECT a FROM t WHERE job = $1 AND tbl = $2" {
		t.Errorf("bind: %s", got)
	}
	for _, tc := range []struct {
		v    Value
		want string
	}{
		{Value{}, "NULL"},
		{Value{Kind: KindInt, B: []byte("-42")}, "-42"},
		{Value{Kind: KindDecimal, B: []byte("1.50")}, "1.50"},
		{Value{Kind: KindFloat, B: []byte("9e999")}, "'Infinity'::float8"},
		{Value{Kind: KindText, B: []byte(`it's \n`)}, `'it''s \n'`},
		{Value{Kind: KindText, B: []byte("1; DROP")}, "'1; DROP'"},
		{Value{Kind: KindText, B: []byte("a\x00b")}, `convert_from('\x610062'::bytea, 'UTF8')`},
		{Value{Kind: KindBytes, B: []byte{0, 0xff}}, `'\x00ff'::bytea`},
	} {
		if got := string(p.appendLiteral(nil, tc.v)); got != tc.want {
			t.Errorf("literal of %s %q: %s, want %s", tc.v.Kind, tc.v.B, got, tc.want)
		}
	}
	b := NewBatch(4)
	for range 2 {
		for _, v := range []Value{{Kind: KindInt, B: []byte("1")}, {Kind: KindText, B: []byte("tab\tnl\nbs\\")}, {}, {Kind: KindBytes, B: []byte{1, 0xab}}} {
			b.Add(v)
		}
	}
	const row = "1\ttab\\tnl\\nbs\\\\\t\\N\t\\\\x01ab\n"
	// read whole, and a byte at a time: rows cut across reads
	for _, r := range []io.Reader{&copyTextReader{b: b}, iotest.OneByteReader(&copyTextReader{b: b})} {
		if got, err := io.ReadAll(r); err != nil || string(got) != row+row {
			t.Errorf("copy text: %q, %v", got, err)
		}
	}
}
