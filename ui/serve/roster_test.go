package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"runway/runbook/session"
	"runway/ui/internal/termtest"
)

func TestParseRoster(t *testing.T) {
	k1, k2 := termtest.AuthorizedLine(termtest.SSHKey(t)), termtest.AuthorizedLine(termtest.SSHKey(t))
	good := fmt.Sprintf(`participants:
  - name: alice
    role: lead
    keys: [%q]
  - name: bob
    role: driver
    key: %q
`, k1, k2)
	r, err := ParseRoster("roster.yaml", []byte(good))
	if err != nil {
		t.Fatalf("good roster: %v", err)
	}
	if got := r.Participants(); len(got) != 2 || got[1] != (session.Participant{Name: "bob", Role: session.RoleDriver}) {
		t.Fatalf("participants %+v", got)
	}
	if r.Lead().Name != "alice" {
		t.Fatalf("lead %+v", r.Lead())
	}

	tests := []struct {
		name, text, want string
	}{
		{"unknown field", "participants:\n  - name: a\n    rol: lead\n", "roster.yaml:3:5: unknown field \"rol\""},
		{"syntax", "participants: [\n", "roster.yaml:"},
		{"no name", fmt.Sprintf("participants:\n  - role: lead\n    key: %q\n", k1), "participant 1 has no name"},
		{"bad role", fmt.Sprintf("participants:\n  - {name: a, role: boss, key: %q}\n", k1), `participant 1 (a): role "boss" is not one of lead, driver, approver, observer`},
		{"no key", "participants:\n  - {name: a, role: lead}\n", "participant 1 (a) has no key"},
		{"bad key", "participants:\n  - {name: a, role: lead, key: ssh-ed25519 nonsense}\n", "participant 1 (a): key 1 is not an authorized_keys line"},
		{"same name", fmt.Sprintf("participants:\n  - {name: a, role: lead, key: %q}\n  - {name: a, role: driver, key: %q}\n", k1, k2), "participant 2 (a): the name is used twice"},
		{"shared key", fmt.Sprintf("participants:\n  - {name: a, role: lead, key: %q}\n  - {name: b, role: driver, key: %q}\n", k1, k1), "participant 2 (b): key 1 already belongs to a"},
		{"key twice", fmt.Sprintf("participants:\n  - {name: a, role: lead, key: %q, keys: [%q]}\n", k1, k1), "key 2 is listed twice"},
		{"no lead", fmt.Sprintf("participants:\n  - {name: a, role: driver, key: %q}\n", k1), "no participant is a lead"},
		{"empty", "", "no participant is a lead"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRoster("roster.yaml", []byte(tt.text))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is more than one line: %q", err)
			}
		})
	}
}

func TestLoadRoster(t *testing.T) {
	if _, err := LoadRoster(filepath.Join(t.TempDir(), "missing.yaml")); err == nil || !strings.Contains(err.Error(), "read roster") {
		t.Fatalf("missing file: %v", err)
	}
	key := termtest.SSHKey(t)
	path := filepath.Join(t.TempDir(), "roster.yaml")
	text := fmt.Sprintf("participants:\n  - {name: alice, role: lead, key: %q}\n", termtest.AuthorizedLine(key))
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := LoadRoster(path)
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := r.Lookup(key.PublicKey()); !ok || p.Name != "alice" {
		t.Fatalf("lookup: %+v %v", p, ok)
	}
	if _, ok := r.Lookup(termtest.SSHKey(t).PublicKey()); ok {
		t.Fatal("an unknown key was found")
	}
}
