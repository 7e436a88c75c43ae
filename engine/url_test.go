package engine

import (
	"strings"
	"testing"
)

// A copy or verify URL that does not parse is reported with the reason's
// words, never a fragment of its password, wherever the password's
// characters make the URL parse wrongly.
func TestMySQLURLErrorsHideThePassword(t *testing.T) {
	cases := []struct{ url, want, secret string }{
		{"mysql://root:hunter2%zzq@127.0.0.1:3306/db", "mysql://root:***@127.0.0.1:3306/db is not a valid URL (invalid URL escape)", "hunter2%zzq"},
		{"mysql://root:ab/cd@127.0.0.1:3306/db", "mysql://root:***@127.0.0.1:3306/db is not a valid URL (invalid port)", "ab/cd"},
		{"mysql://root:1234?x@127.0.0.1:3306/db", "parse mysql://root:***@127.0.0.1:3306/db: want exactly one database name after the host", "1234?x"},
		{"mysql://root:1234#x@127.0.0.1:3306/db", "parse mysql://root:***@127.0.0.1:3306/db: want exactly one database name after the host", "1234#x"},
	}
	for _, c := range cases {
		_, err := ParseMySQLURL(c.url)
		if err == nil {
			t.Errorf("%s: parsed", c.url)
			continue
		}
		if err.Error() != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.url, err, c.want)
		}
		for _, frag := range []string{c.secret, c.secret[:4], c.secret[len(c.secret)-3:]} {
			if strings.Contains(err.Error(), frag) {
				t.Errorf("%s: %q shows %q", c.url, err, frag)
			}
		}
	}
	if got := RedactURL("mysql://app:p@ss@h:3306/db"); got != "mysql://app:***@h:3306/db" {
		t.Errorf("RedactURL = %q", got)
	}
	if got := RedactURL("sqlite:/x.db"); got != "sqlite:/x.db" {
		t.Errorf("RedactURL(sqlite) = %q", got)
	}
}

// A sqlite: URL written like a server's, with a user and password, is
// refused without showing the password: taken for a relative path, it
// was named whole in "no such file".
func TestSQLiteURLWithPasswordRefused(t *testing.T) {
	for _, raw := range []string{"sqlite://app:s3cr%27et@/tmp/x.db", "sqlite://app:s3cr'et@host/x.db"} {
		_, err := OpenSourceURL(raw)
		if err == nil || !strings.Contains(err.Error(), "not a user or password") {
			t.Errorf("%s: %v, want it refused", raw, err)
			continue
		}
		if strings.Contains(err.Error(), "s3cr") {
			t.Errorf("%s: %q shows the password", raw, err)
		}
	}
	if _, err := OpenURL("sqlite://" + t.TempDir() + "/ok.db"); err != nil {
		t.Errorf("sqlite:// with an absolute path: %v", err)
	}
}
