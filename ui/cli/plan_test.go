package cli

import (
	"bytes"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

func sqliteExec(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func sqliteCount(t *testing.T, path, q string) int {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// `runway copy` checks every table before it writes: a view, a table
// without key, a missing table and a target trigger are all named, one a
// line, with exit status 2, and the target is left as it was. --plan
// prints the same check as a plan and never writes.
func TestCopyRefusedAndPlan(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src.db"), filepath.Join(dir, "dst.db")
	sqliteExec(t, src, "CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO a VALUES (1, 'x'), (2, 'y')",
		"CREATE TABLE nokey (v TEXT)", "CREATE VIEW v AS SELECT * FROM a")
	sqliteExec(t, dst, "CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT)", "CREATE TABLE audit (v TEXT)",
		"CREATE TRIGGER a_audit AFTER INSERT ON a BEGIN INSERT INTO audit VALUES (NEW.v); END")
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := Execute(append([]string{"copy", "--from", "sqlite:" + src}, args...), strings.NewReader(""), &out, &errOut)
		return code, out.String(), errOut.String()
	}
	untouched := func(what string) {
		t.Helper()
		if n := sqliteCount(t, dst, "SELECT COUNT(*) FROM sqlite_master WHERE name = '_runway_checkpoints' OR name = 'v' OR name = 'nokey'"); n != 0 {
			t.Errorf("%s: the target has %d new tables", what, n)
		}
		if n := sqliteCount(t, dst, "SELECT COUNT(*) FROM a"); n != 0 {
			t.Errorf("%s: %d rows written", what, n)
		}
	}
	problems := []string{
		"v in sqlite:" + src + " is a view, not a base table: copy its base tables",
		"nokey in sqlite:" + src + " has no primary key",
		"missing does not exist in sqlite:" + src,
		`trigger a_audit (AFTER INSERT) on the target table a in sqlite:` + dst,
		`DROP TRIGGER "a_audit";`,
	}

	code, out, errOut := run("--to", "sqlite:"+dst, "--table", "a, v,nokey", "--table", "missing,a")
	if code != ExitUsage || out != "" {
		t.Fatalf("copy: exit %d, want %d\n%s%s", code, ExitUsage, out, errOut)
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if len(lines) != 5 || lines[4] != "runway: copy refused before any write: 4 problems; nothing was written" {
		t.Errorf("want 4 problem lines and the refusal, got:\n%s", errOut)
	}
	for _, want := range problems {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr does not say %q:\n%s", want, errOut)
		}
	}
	untouched("refused copy")

	code, out, errOut = run("--to", "sqlite:"+dst, "--table", "a,v,nokey,missing", "--plan")
	if code != ExitUsage || !strings.Contains(errOut, "copy --plan: 4 problems; nothing was written") {
		t.Fatalf("plan: exit %d\n%s%s", code, out, errOut)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range append(problems, "copy plan: sqlite:"+src, "a → a", "exists, compatible", "triggers a_audit (AFTER INSERT)", "4 problems; nothing is written") {
		if !strings.Contains(flat, want) {
			t.Errorf("the plan does not say %q:\n%s", want, out)
		}
	}
	untouched("plan")

	// allowed, the plan is clean; into a new file it creates nothing
	if code, out, errOut := run("--to", "sqlite:"+dst, "--table", "a", "--plan", "--allow-target-triggers"); code != ExitOK || !strings.Contains(out, "no problems: the copy can start (1 table)") {
		t.Errorf("clean plan: exit %d\n%s%s", code, out, errOut)
	}
	untouched("clean plan")
	fresh := filepath.Join(dir, "fresh.db")
	if code, out, errOut := run("--to", "sqlite:"+fresh, "--table", "a", "--plan"); code != ExitOK || !strings.Contains(out, "CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT)") {
		t.Errorf("plan into a new file: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(fresh); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the plan created %s: %v", fresh, err)
	}
	if code, out, errOut := run("--to", "sqlite:"+dst, "--table", "a", "--allow-target-triggers"); code != ExitOK || sqliteCount(t, dst, "SELECT COUNT(*) FROM audit") != 2 {
		t.Errorf("allowed copy: exit %d\n%s%s", code, out, errOut)
	}
}
