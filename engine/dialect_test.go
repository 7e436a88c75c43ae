package engine

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
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
}

// TestNoDatabaseBranchesOutsideDialects guards the seam: outside the
// dialects and Open, no engine code asks which database it talks to.
func TestNoDatabaseBranchesOutsideDialects(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	branch := regexp.MustCompile(`driver [!=]= |dialect\.name\(\) [!=]= |\.\(mysqlDialect\)|\.\(sqliteDialect\)`)
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
