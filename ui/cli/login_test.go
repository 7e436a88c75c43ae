package cli

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"runway/engine/enginetest"
)

// passwordUser creates a MySQL user with a password on a fresh database
// and returns the database's URL without the password, and the password.
func passwordUser(t *testing.T) (url, user, pw string) {
	t.Helper()
	var b [4]byte
	rand.Read(b[:])
	return passwordUserWith(t, "pw-Secret-"+hex.EncodeToString(b[:]))
}

// passwordUserWith is passwordUser with a given password.
func passwordUserWith(t *testing.T, pw string) (url, user, _ string) {
	t.Helper()
	dsn, dbName := enginetest.MySQL(t)
	admin, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var b [4]byte
	rand.Read(b[:])
	user = "rw_pw_" + hex.EncodeToString(b[:])
	literal := strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(pw)
	for _, q := range []string{
		fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY '%s'", user, literal),
		fmt.Sprintf("GRANT ALL ON `%s`.* TO '%s'@'%%'", dbName, user),
	} {
		if _, err := admin.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		if db, err := sql.Open("mysql", dsn); err == nil {
			db.Exec(fmt.Sprintf("DROP USER IF EXISTS '%s'@'%%'", user))
			db.Close()
		}
	})
	cfg, _ := mysql.ParseDSN(dsn)
	return fmt.Sprintf("mysql://%s@%s/%s", user, cfg.Addr, dbName), user, pw
}

func runCmd(args ...string) (int, string, string) {
	var out, errOut strings.Builder
	code := Execute(args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestMySQLPasswordOutsideArgv(t *testing.T) {
	url, user, pw := passwordUser(t)
	home := t.TempDir()
	t.Setenv("HOME", home) // no ~/.my.cnf unless a case writes one
	src := filepath.Join(t.TempDir(), "src.db")
	execSQLite(t, src, "CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO a VALUES (1, 'x'), (2, 'y')")
	copyTo := func(to string, extra ...string) (int, string) {
		code, _, e := runCmd(append([]string{"copy", "--from", "sqlite:" + src, "--to", to, "--table", "a", "--retry-for", "1s"}, extra...)...)
		if strings.Contains(e, pw) {
			t.Errorf("password in error output: %q", e)
		}
		return code, e
	}
	optionFile := func(text string) string {
		p := filepath.Join(t.TempDir(), "my.cnf")
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}

	if code, e := copyTo(url); code == ExitOK || !strings.Contains(e, "Access denied") {
		t.Errorf("no password anywhere: exit %d %q", code, e)
	}

	t.Setenv(toPasswordEnv, pw)
	if code, e := copyTo(url); code != ExitOK || strings.Contains(e, "runway:") {
		t.Errorf("%s: exit %d %q", toPasswordEnv, code, e)
	}
	t.Setenv(toPasswordEnv, "wrong-"+pw)
	if code, e := copyTo(url); code == ExitOK || strings.Contains(e, "wrong-") {
		t.Errorf("wrong %s: exit %d %q", toPasswordEnv, code, e)
	}
	os.Unsetenv(toPasswordEnv)

	file := optionFile("# mine\n[mysql]\npassword=nope\n[client]\nuser = " + user + "\npassword = \"" + pw + "\" \n")
	if code, e := copyTo(url, "--defaults-file", file); code != ExitOK || strings.Contains(e, "runway:") {
		t.Errorf("--defaults-file: exit %d %q", code, e)
	}
	other := optionFile("[client]\nuser=someone_else\npassword=" + pw + "\n")
	if code, e := copyTo(url, "--defaults-file", other); code != ExitUsage || !strings.Contains(e, `is for user "someone_else"`) {
		t.Errorf("--defaults-file of another user: exit %d %q", code, e)
	}
	if code, e := copyTo(url, "--defaults-file", filepath.Join(home, "missing.cnf")); code != ExitUsage || !strings.Contains(e, "missing.cnf") {
		t.Errorf("missing --defaults-file: exit %d %q", code, e)
	}

	if err := os.WriteFile(filepath.Join(home, ".my.cnf"), []byte("[client]\npassword="+pw+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, e := copyTo(url); code != ExitOK || strings.Contains(e, "runway:") {
		t.Errorf("~/.my.cnf: exit %d %q", code, e)
	}
	os.Remove(filepath.Join(home, ".my.cnf"))

	t.Setenv(fromPasswordEnv, pw)
	if code, out, e := runCmd("verify", "--from", url, "--to", "sqlite:"+src, "--table", "a"); code != ExitOK || strings.Contains(e+out, pw) {
		t.Errorf("verify with %s: exit %d %q", fromPasswordEnv, code, e)
	}
	os.Unsetenv(fromPasswordEnv)

	inArgv := strings.Replace(url, user+"@", user+":"+pw+"@", 1)
	code, e := copyTo(inArgv)
	if code != ExitOK || !strings.HasPrefix(e, "runway: warning: the --to password is visible to other users of this machine (ps); set RUNWAY_TO_PASSWORD or use --defaults-file instead\n") {
		t.Errorf("password in the URL: exit %d %q", code, e)
	}
}

func TestReadClientOptions(t *testing.T) {
	p := filepath.Join(t.TempDir(), "my.cnf")
	text := "[mysqld]\nuser=mysql\n\n[client]\n; comment\nUser=app\npassword='a b#c'\nhost = db # the host\n!includedir /etc/x\nsocket_path=/s\n"
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := readClientOptions(p)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"user": "app", "password": "a b#c", "host": "db", "socket-path": "/s"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if err := os.WriteFile(p, []byte("[client\npassword=s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := readClientOptions(p); err == nil || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("broken file: %v", err)
	}
}

func TestOptionValueAsMySQLReadsIt(t *testing.T) {
	for in, want := range map[string]string{
		`"S3cr\"et\\x"`:     `S3cr"et\x`,
		`'a b#c'`:           `a b#c`,
		`"p#w" # a comment`: `p#w`,
		`plain # comment`:   `plain`,
		`ab#cd`:             `ab`,
		`a\nb\tc\sd\re\bf`:  "a\nb\tc d\re\bf",
		`"\'q\'" `:          `'q'`,
		`un\known\`:         `un\known\`,
		`"unbalanced`:       `"unbalanced`,
		`'mixed"`:           `'mixed"`,
		`""`:                ``,
		`"it's"`:            `it's`,
	} {
		if got := optionValue(in); got != want {
			t.Errorf("optionValue(%s) = %q, want %q", in, got, want)
		}
	}
}

// An option file's quoted password with escapes logs in as the mysql
// client would: the password below is S3cr"et\x.
func TestQuotedOptionFilePassword(t *testing.T) {
	url, user, pw := passwordUserWith(t, `S3cr"et\x`)
	t.Setenv("HOME", t.TempDir())
	file := filepath.Join(t.TempDir(), "my.cnf")
	text := "[client]\nuser=" + user + "\npassword=\"S3cr\\\"et\\\\x\"  # quoted\n"
	if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "src.db")
	execSQLite(t, src, "CREATE TABLE a (id INTEGER PRIMARY KEY)", "INSERT INTO a VALUES (1)")
	code, _, e := runCmd("copy", "--from", "sqlite:"+src, "--to", url, "--table", "a", "--defaults-file", file, "--retry-for", "1s")
	if code != ExitOK || strings.Contains(e, pw) {
		t.Errorf("quoted password in --defaults-file: exit %d %q", code, e)
	}
}

func TestSQLiteSourcesMustExist(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	execSQLite(t, src, "CREATE TABLE a (id INTEGER PRIMARY KEY)")
	typo := filepath.Join(dir, "typo.db")
	for _, args := range [][]string{
		{"copy", "--from", "sqlite:" + typo, "--to", "sqlite:" + filepath.Join(dir, "dst.db"), "--table", "a"},
		{"verify", "--from", "sqlite:" + typo, "--to", "sqlite:" + src, "--table", "a"},
		{"verify", "--from", "sqlite:" + src, "--to", "sqlite:" + typo, "--table", "a"},
		{"verify", "--from", "sqlite:" + src, "--to", "sqlite:file:" + typo + "?_pragma=foreign_keys(1)", "--table", "a"},
	} {
		code, _, e := runCmd(args...)
		if code != ExitUsage || e != "runway: sqlite:"+typo+": no such file\n" {
			t.Errorf("%s: exit %d %q", strings.Join(args, " "), code, e)
		}
		if _, err := os.Stat(typo); err == nil {
			t.Fatalf("%s created %s", args[0], typo)
		}
	}
	// a copy target is created, but only in a folder that exists
	missing := filepath.Join(dir, "no", "dst.db")
	if code, _, e := runCmd("copy", "--from", "sqlite:"+src, "--to", "sqlite:"+missing, "--table", "a"); code != ExitUsage || !strings.Contains(e, "no such folder") {
		t.Errorf("target in a missing folder: exit %d %q", code, e)
	}
	if code, _, e := runCmd("copy", "--from", "sqlite:"+src, "--to", "sqlite:"+filepath.Join(dir, "dst.db"), "--table", "a"); code != ExitOK {
		t.Errorf("new target: exit %d %q", code, e)
	}
}

func TestVerifyGivesUpOnUnreachableServer(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "dst.db")
	execSQLite(t, dst, "CREATE TABLE a (id INTEGER PRIMARY KEY)")
	code, _, e := runCmd("verify", "--from", "mysql://u:s3cret@127.0.0.1:1/db", "--to", "sqlite:"+dst, "--table", "a", "--retry-for", "300ms")
	lines := strings.Split(strings.TrimSpace(e), "\n")
	last := lines[len(lines)-1]
	if code != ExitUsage || strings.Contains(e, "s3cret") || last != "runway: mysql://u@127.0.0.1:1/db: not reachable after 300ms: connection refused" {
		t.Errorf("unreachable source: exit %d %q", code, e)
	}
}

// copy and verify agree: a database that cannot be opened (a server not
// reachable, a login refused) is exit status 2, with one line that names
// the database and, for a server, how long runway tried.
func TestCopyAndVerifyAgreeOnDatabasesThatCannotBeOpened(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	src := filepath.Join(t.TempDir(), "src.db")
	execSQLite(t, src, "CREATE TABLE a (id INTEGER PRIMARY KEY)")
	url, _, pw := passwordUser(t)
	refused := strings.Replace(url, "mysql://", "mysql://nobody_", 1)
	for _, c := range []struct{ mysql, want string }{
		{"mysql://u@127.0.0.1:1/db", "runway: mysql://u@127.0.0.1:1/db: not reachable after 300ms: connection refused\n"},
		{refused, "runway: " + refused + ": login refused: Error "},
	} {
		t.Setenv(toPasswordEnv, pw)
		t.Setenv(fromPasswordEnv, pw)
		for _, args := range [][]string{
			{"copy", "--from", "sqlite:" + src, "--to", c.mysql},
			{"verify", "--from", c.mysql, "--to", "sqlite:" + src},
		} {
			code, _, e := runCmd(append(args, "--table", "a", "--retry-for", "300ms")...)
			if code != ExitUsage || !strings.HasPrefix(e, c.want) || strings.Count(e, "\n") != 1 || strings.Contains(e, pw) {
				t.Errorf("%s %s: exit %d %q, want exit %d %q", args[0], c.mysql, code, e, ExitUsage, c.want)
			}
		}
	}
}
