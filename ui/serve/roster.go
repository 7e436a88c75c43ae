package serve

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/charmbracelet/ssh"
	"github.com/goccy/go-yaml"
	gossh "golang.org/x/crypto/ssh"

	"runway/runbook/session"
)

// Roster says who may connect: each public key belongs to one participant,
// with a name (the actor of every event they cause) and a role. A key not in
// the roster is refused at authentication.
//
// The file is YAML; keys are written as in authorized_keys:
//
//	participants:
//	  - name: alice
//	    role: lead          # lead, driver, approver or observer
//	    keys:
//	      - ssh-ed25519 AAAAC3Nza… alice@laptop
//	  - name: bob
//	    role: driver
//	    key: ssh-ed25519 AAAAC3Nza… bob@desk
type Roster struct {
	entries []rosterEntry
}

type rosterEntry struct {
	who  session.Participant
	keys []gossh.PublicKey
}

// rosterFile is the file's shape.
type rosterFile struct {
	Participants []struct {
		Name string   `yaml:"name"`
		Role string   `yaml:"role"`
		Key  string   `yaml:"key"`
		Keys []string `yaml:"keys"`
	} `yaml:"participants"`
}

// LoadRoster reads and checks a roster file.
func LoadRoster(path string) (*Roster, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read roster: %w", err)
	}
	return ParseRoster(path, text)
}

var yamlPos = regexp.MustCompile(`^\[(\d+):(\d+)\] `)

// ParseRoster checks a roster's text; file names it in errors. Every name is
// unique, every role known, every key parses and belongs to one participant
// only, and at least one participant is a lead.
func ParseRoster(file string, text []byte) (*Roster, error) {
	var f rosterFile
	if err := yaml.UnmarshalWithOptions(text, &f, yaml.Strict()); err != nil {
		first, _, _ := strings.Cut(err.Error(), "\n")
		return nil, fmt.Errorf("%s", yamlPos.ReplaceAllString(first, file+":$1:$2: "))
	}
	r := &Roster{}
	names := map[string]bool{}
	lead := false
	for i, p := range f.Participants {
		where := fmt.Sprintf("%s: participant %d", file, i+1)
		name := strings.TrimSpace(p.Name)
		if name == "" {
			return nil, fmt.Errorf("%s has no name", where)
		}
		where += " (" + name + ")"
		if names[name] {
			return nil, fmt.Errorf("%s: the name is used twice", where)
		}
		names[name] = true
		role := session.Role(p.Role)
		if !role.Valid() {
			return nil, fmt.Errorf("%s: role %q is not one of %s", where, p.Role, roleList())
		}
		lead = lead || role == session.RoleLead
		lines := p.Keys
		if strings.TrimSpace(p.Key) != "" {
			lines = append([]string{p.Key}, lines...)
		}
		if len(lines) == 0 {
			return nil, fmt.Errorf("%s has no key", where)
		}
		e := rosterEntry{who: session.Participant{Name: name, Role: role}}
		for k, line := range lines {
			key, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
			if err != nil {
				return nil, fmt.Errorf("%s: key %d is not an authorized_keys line: %w", where, k+1, err)
			}
			if other, ok := r.Lookup(key); ok {
				return nil, fmt.Errorf("%s: key %d already belongs to %s", where, k+1, other.Name)
			}
			for _, mine := range e.keys {
				if ssh.KeysEqual(mine, key) {
					return nil, fmt.Errorf("%s: key %d is listed twice", where, k+1)
				}
			}
			e.keys = append(e.keys, key)
		}
		r.entries = append(r.entries, e)
	}
	if !lead {
		return nil, fmt.Errorf("%s: no participant is a lead; one must be, to start the session and hand control", file)
	}
	return r, nil
}

func roleList() string {
	var out []string
	for _, r := range session.Roles {
		out = append(out, string(r))
	}
	return strings.Join(out, ", ")
}

// Lookup finds the participant a public key belongs to.
func (r *Roster) Lookup(key gossh.PublicKey) (session.Participant, bool) {
	if r == nil || key == nil {
		return session.Participant{}, false
	}
	for _, e := range r.entries {
		for _, k := range e.keys {
			if ssh.KeysEqual(k, key) {
				return e.who, true
			}
		}
	}
	return session.Participant{}, false
}

// Participants lists everyone in the roster, in the file's order.
func (r *Roster) Participants() []session.Participant {
	out := make([]session.Participant, len(r.entries))
	for i, e := range r.entries {
		out[i] = e.who
	}
	return out
}

// Participant finds a participant by name.
func (r *Roster) Participant(name string) (session.Participant, bool) {
	for _, e := range r.entries {
		if e.who.Name == name {
			return e.who, true
		}
	}
	return session.Participant{}, false
}

// Lead is the first lead in the roster: the session's operator, who holds
// control until they hand it over.
func (r *Roster) Lead() session.Participant {
	for _, e := range r.entries {
		if e.who.Role == session.RoleLead {
			return e.who
		}
	}
	return session.Participant{}
}
