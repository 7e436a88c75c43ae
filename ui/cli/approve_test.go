package cli

import (
	"bytes"
	"net"
	"path/filepath"
	"strings"
	"testing"
)

// `runway approve` names the session to reach when several are driven
// beside one audit log, and says in one line when none is.
func TestApproveFindsTheSession(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "runway.db")
	approve := func(args ...string) (int, string) {
		var out, errOut bytes.Buffer
		code := Execute(append([]string{"approve", "--audit", db}, args...), strings.NewReader(""), &out, &errOut)
		return code, out.String() + errOut.String()
	}
	if code, out := approve(); code != 2 || !strings.Contains(out, "no runway process drives a session of "+db) {
		t.Fatalf("no socket: exit %d: %s", code, out)
	}
	if code, out := approve("s9"); code != 2 || !strings.Contains(out, "no runway process drives session s9 on this host") {
		t.Fatalf("named session, no socket: exit %d: %s", code, out)
	}
	for _, id := range []string{"s1", "s2"} {
		l, err := net.ListenUnix("unix", &net.UnixAddr{Name: db + "." + id + ".sock", Net: "unix"})
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
	}
	code, out := approve()
	if code != 2 || !strings.Contains(out, "sessions s1, s2 of "+db+" have approval sockets: name one: runway approve SESSION --audit "+db) {
		t.Fatalf("two sockets: exit %d: %s", code, out)
	}
	if strings.Count(strings.TrimSpace(out), "\n") != 0 {
		t.Fatalf("more than one line: %q", out)
	}
}
