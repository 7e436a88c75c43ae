package cli

import (
	"bytes"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// verifyFixture writes two SQLite files holding the same 100 orders.
func verifyFixture(t *testing.T) (src, dst string) {
	t.Helper()
	dir := t.TempDir()
	src, dst = filepath.Join(dir, "old.db"), filepath.Join(dir, "new.db")
	var rows []string
	for i := 1; i <= 100; i++ {
		rows = append(rows, fmt.Sprintf("(%d, '%d.50', 'order %d')", i, i, i))
	}
	for _, p := range []string{src, dst} {
		execSQLite(t, p, "CREATE TABLE orders (id INTEGER PRIMARY KEY, amount DECIMAL(10,2) NOT NULL, note TEXT)",
			"INSERT INTO orders VALUES "+strings.Join(rows, ","))
	}
	return src, dst
}

func execSQLite(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
}

func runVerifyCmd(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := Execute(append([]string{"verify"}, args...), strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestVerifyCommand(t *testing.T) {
	src, dst := verifyFixture(t)
	from, to := "--from=sqlite:"+src, "--to=sqlite:"+dst
	code, out, errOut := runVerifyCmd(from, to, "--table", "orders")
	if code != ExitOK || !strings.Contains(out, "orders: 100 rows, 1 chunk (rows compared), match rate 100.0000%, 0 differences") {
		t.Fatalf("identical: exit %d\n%s%s", code, out, errOut)
	}

	execSQLite(t, dst, "UPDATE orders SET amount = amount + 1 WHERE id <= 25", "DELETE FROM orders WHERE id = 50",
		"INSERT INTO orders VALUES (500, '1.00', NULL)")
	code, out, errOut = runVerifyCmd(from, to, "--table", "orders", "--show", "3")
	want := []string{
		"orders: 100 rows, 1 chunk (rows compared), match rate 73.2673%, 27 differences",
		"  1 missing, 1 extra, 25 different; 1 of 1 chunks differ",
		"  different key (1): amount",
		"  different key (2): amount",
		"  … and 24 more",
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("differences: output lacks %q\n%s", w, out)
		}
	}
	if code != ExitStopped || !strings.Contains(errOut, "74 of 100 rows match") {
		t.Errorf("differences: exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := runVerifyCmd(from, to, "--table", "orders", "--min-match", "0.7"); code != ExitOK {
		t.Errorf("--min-match 0.7: exit %d", code)
	}

	code, out, _ = runVerifyCmd(from, to, "--table", "orders", "--repair")
	if code != ExitOK || !strings.Contains(out, "repaired 27 rows from the source; 0 differences after the repair") {
		t.Errorf("repair: exit %d\n%s", code, out)
	}
	// The differences come before the repair's writes, then what it changed.
	listed, repairing, repaired := strings.Index(out, "different key (1): amount"), strings.Index(out, "repairing 27 differences"), strings.Index(out, "repaired 27 rows")
	if listed < 0 || repairing < listed || repaired < repairing || !strings.Contains(out[repaired:], "  updated   key (1)\n") ||
		!strings.Contains(out[repaired:], "… and 7 more repaired") {
		t.Errorf("repair output: differences, then the repair, then what it changed:\n%s", out)
	}
	if code, out, _ := runVerifyCmd(from, to, "--table", "orders", "--sample", "50%"); code != ExitOK || !strings.Contains(out, "sampled") {
		t.Errorf("sample: exit %d\n%s", code, out)
	}

	for _, args := range [][]string{
		{from, "--table", "orders"},
		{from, to},
		{from, to, "--table", "orders", "--sample", "150%"},
		{"--from=mysql://u:s3cret@127.0.0.1:1/x?bad=1", to, "--table", "orders"},
		{from, to, "--table", "nope"},
	} {
		code, _, errOut := runVerifyCmd(args...)
		if code != ExitUsage || strings.Contains(errOut, "s3cret") {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
}

// A table that cannot be verified stops the verify before any table is
// compared: the preflight names it, and no verdict line is printed (a
// "0 rows, match rate 0%" line, or one for the tables before it, would
// read as a result).
func TestVerifyFailedTablePrintsNoVerdict(t *testing.T) {
	src, dst := verifyFixture(t)
	code, out, errOut := runVerifyCmd("--from=sqlite:"+src, "--to=sqlite:"+dst, "--table", "orders,nope")
	if code != ExitUsage {
		t.Fatalf("exit %d, want %d\n%s%s", code, ExitUsage, out, errOut)
	}
	if out != "" {
		t.Errorf("stdout should hold no verdict:\n%s", out)
	}
	if !strings.Contains(errOut, "runway: nope does not exist in sqlite:") || !strings.HasSuffix(strings.TrimSpace(errOut), "verify refused before anything was compared: 1 problem") {
		t.Errorf("stderr should name the table and the refusal: %q", errOut)
	}
}
