package cli

import (
	"bytes"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

func TestCopyCommand(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	db, err := sql.Open("sqlite", src)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT)",
		"CREATE TABLE b (k TEXT NOT NULL, n INT NOT NULL, PRIMARY KEY (k, n))",
		"WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < 500) INSERT INTO a SELECT n, 'v' || n FROM c",
		"INSERT INTO b VALUES ('x', 1), ('y', 2)",
		"CREATE TABLE nokey (v TEXT)",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	dst := filepath.Join(dir, "dst.db")
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := Execute(append([]string{"copy"}, args...), strings.NewReader(""), &out, &errOut)
		return code, out.String(), errOut.String()
	}

	code, out, errOut := run("--from", "sqlite:"+src, "--to", "sqlite:"+dst, "--table", "a,b")
	if code != ExitOK {
		t.Fatalf("copy: exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"a: 500 rows in ", "rows/s), table created", "b: 2 rows in "} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	// a rerun finds both tables done
	code, out, _ = run("--from", "sqlite:"+src, "--to", "sqlite:"+dst, "--table", "a", "--table", "b")
	if code != ExitOK || !strings.Contains(out, "a: already copied (500 rows), skipped") {
		t.Fatalf("rerun: exit %d\n%s", code, out)
	}
	// rows gone from the target: the checkpoint is not believed, the table's
	// counts are shown and the rows are copied again
	if db, err = sql.Open("sqlite", dst); err == nil {
		_, err = db.Exec("DELETE FROM a WHERE id > 100 AND id <= 110")
		db.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ = run("--from", "sqlite:"+src, "--to", "sqlite:"+dst, "--table", "a")
	if code != ExitOK || !strings.Contains(out, "a: 500 rows in ") ||
		!strings.Contains(out, "checkpoint says 500 rows copied up to id 500, the source holds 500 (min 1, max 500) there and the target 490 (min 1, max 500): copying again") {
		t.Fatalf("rerun after rows vanished: exit %d\n%s", code, out)
	}
	if code, out, _ = run("--from", "sqlite:"+src, "--to", "sqlite:"+dst, "--table", "a"); !strings.Contains(out, "a: already copied (500 rows), skipped\n") {
		t.Fatalf("rerun after the copy again: exit %d\n%s", code, out)
	}

	// usage errors, databases that cannot be opened and problems found
	// before any write exit 2, and a password never shows
	if code, _, _ := run("--from", "sqlite:"+src, "--table", "a"); code != ExitUsage {
		t.Errorf("missing --to: exit %d", code)
	}
	if code, _, e := run("--from", "mysql://u:s3cret@127.0.0.1:1/db", "--to", "sqlite:"+dst, "--table", "a", "--retry-for", "300ms"); code != ExitUsage || strings.Contains(e, "s3cret") || !strings.Contains(e, "u@127.0.0.1:1/db") {
		t.Errorf("unreachable source: exit %d, %q", code, e)
	}
	if code, _, e := run("--from", "ftp://x", "--to", "sqlite:"+dst, "--table", "a"); code != ExitUsage {
		t.Errorf("bad URL: exit %d %q", code, e)
	}
	if code, _, e := run("--from", "sqlite:"+src, "--to", "sqlite:"+dst, "--table", "nokey"); code != ExitUsage || !strings.Contains(e, "no primary key") {
		t.Errorf("keyless table: exit %d %q", code, e)
	}
	dst2 := filepath.Join(dir, "dst2.db")
	if code, _, e := run("--from", "sqlite:"+src, "--to", "sqlite:"+dst2, "--table", "a", "--create=false"); code != ExitUsage || !strings.Contains(e, "does not exist") {
		t.Errorf("--create=false on a missing table: exit %d %q", code, e)
	}
}
