package serve

import (
	"regexp"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"runway/ui/inert"
)

// TestServerLogIsInert has a stranger log in with a user name that clears
// the screen, sets the title, writes the clipboard and forges a line, and a
// participant with a hostile terminal type: every line the server logs is
// one inert line, and none is forged.
func TestServerLogIsInert(t *testing.T) {
	r := newRig(t)
	user := "x\x1b[2J\x1b]0;pwned\a\x1b]52;c;Y3VybA==\a\n12:00:00 lea (lead) connected from 10.0.0.1\x1bE\u202e"
	_, err := gossh.Dial("tcp", r.addr, &gossh.ClientConfig{
		User: user, Auth: []gossh.AuthMethod{gossh.PublicKeys(r.keys["mallory"])},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: deadline,
	})
	if err == nil {
		t.Fatal("an unknown key was let in")
	}
	c := r.connectWith("bob", r.addr, 80, 24, "xterm\x1b]0;pwned\a\n12:00:00 lea (lead) connected", nil)
	c.cl.Close()
	log := r.out.String()
	if !strings.Contains(log, `(user x\x1b[2J\x1b]0;pwned\x07`) {
		t.Fatalf("the refused user name is not shown escaped:\n%s", log)
	}
	forged := regexp.MustCompile(`^12:00:00 `)
	for _, line := range strings.Split(strings.TrimSuffix(log, "\n"), "\n") {
		if msg := inert.Problem(line, false); msg != "" {
			t.Errorf("%s in log line %q", msg, line)
		}
		if forged.MatchString(line) {
			t.Errorf("forged log line %q", line)
		}
	}
}
