package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"runway/ui/internal/termtest"
)

// TestRosterFileReloaded: a key added to the roster file while serving logs
// in with its role; a broken file keeps the last good roster; a revoked key
// is refused at its next login.
func TestRosterFileReloaded(t *testing.T) {
	var file string
	var base string
	r := newRigWith(t, func(s *Server) {
		file = filepath.Join(t.TempDir(), "roster.yaml")
		var b strings.Builder
		b.WriteString("participants:\n")
		for _, p := range s.team.cur.Participants() {
			fmt.Fprintf(&b, "  - name: %s\n    role: %s\n    keys:\n", p.Name, p.Role)
			for _, e := range s.team.cur.entries {
				if e.who.Name == p.Name {
					for _, k := range e.keys {
						fmt.Fprintf(&b, "      - %s\n", strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k))))
					}
				}
			}
		}
		base = b.String()
		if err := os.WriteFile(file, []byte(base), 0o644); err != nil {
			t.Fatal(err)
		}
		s.team = newRosterWatch(s.team.cur, file)
	})
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	if _, err := r.dial("mallory", r.addr); err == nil {
		t.Fatal("mallory logged in before being added to the roster")
	}
	write(base + "  - name: mallory\n    role: observer\n    key: " + termtest.AuthorizedLine(r.keys["mallory"]) + "\n")
	c := r.connect("mallory")
	c.waitFor("mallory")
	if log := r.out.String(); !strings.Contains(log, "roster "+file+" reloaded: 5 participants") {
		t.Errorf("server log does not tell the reload:\n%s", log)
	}

	write("participants: [this is not a roster\n")
	if cl, err := r.dial("mallory", r.addr); err != nil {
		t.Fatalf("a broken roster file dropped the last good roster: %v", err)
	} else {
		cl.Close()
	}
	if log := r.out.String(); !strings.Contains(log, "roster "+file+" not reloaded, the last good one stays: ") {
		t.Errorf("server log does not tell why the roster was not reloaded:\n%s", log)
	}

	write(base) // mallory revoked
	if _, err := r.dial("mallory", r.addr); err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("revoked key: %v, want an authentication failure", err)
	}
	if cl, err := r.dial("bob", r.addr); err != nil {
		t.Fatalf("bob refused after the reload: %v", err)
	} else {
		cl.Close()
	}
}
