package runbooks

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"runway/runbook"
)

// required finds ${NAME} references written without a default.
var required = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// fakeEnv sets a plausible value for every variable the runbook needs and
// leaves those with a default unset, so the defaults are linted too.
func fakeEnv(text []byte) func(string) (string, bool) {
	need := map[string]bool{}
	for _, m := range required.FindAllSubmatch(text, -1) {
		need[string(m[1])] = true
	}
	return func(name string) (string, bool) {
		if !need[name] {
			return "", false
		}
		switch {
		case strings.HasSuffix(name, "_PG_DSN"):
			return "postgres://runway:fake-password@127.0.0.1:5432/" + strings.ToLower(name), true
		case strings.HasSuffix(name, "_DSN"):
			return "runway:fake-password@tcp(127.0.0.1:3306)/" + strings.ToLower(name), true
		case strings.HasSuffix(name, "_URL"):
			return "http://127.0.0.1:8080", true
		case strings.HasSuffix(name, "_ADDR"):
			return "127.0.0.1:3306", true
		}
		return "fake-" + strings.ToLower(name), true
	}
}

func load(t *testing.T, name string) *runbook.Runbook {
	t.Helper()
	text, err := fs.ReadFile(FS, name)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := runbook.Parse("runbooks/"+name, text, fakeEnv(text))
	if err != nil {
		t.Fatalf("lint %s:\n%v", name, err)
	}
	return rb
}

// TestLintEveryRunbook lints every shipped runbook, whoever added it.
func TestLintEveryRunbook(t *testing.T) {
	names := Names()
	if len(names) == 0 {
		t.Fatal("no runbooks embedded")
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			rb := load(t, name)
			if rb.Text == nil || len(rb.Phases) == 0 {
				t.Fatalf("%s: empty runbook", name)
			}
			t.Logf("%s: %s", name, rb.Summary())
		})
	}
}

func TestNamesSortedYAML(t *testing.T) {
	names := Names()
	if !slices.IsSorted(names) {
		t.Errorf("Names() not sorted: %v", names)
	}
	for _, n := range names {
		if !strings.HasSuffix(n, ".yaml") {
			t.Errorf("Names() lists %q, not a runbook", n)
		}
	}
}

// TestTemplatesFollowTheMethod checks the templates carry what the
// staged method needs, so an edit cannot quietly drop a phase or a safety net.
func TestTemplatesFollowTheMethod(t *testing.T) {
	phases := []string{"preparation", "pilot", "core-pilot", "full-migration", "decommission"}
	engines := map[string][]string{
		"downtime-copy.yaml": {"copy", "verify", "compare"},
		"log-chasing.yaml":   {"copy", "catchup", "verify", "compare"},
		"dual-write.yaml":    {"copy", "verify", "compare"},
		// MySQL to PostgreSQL also tells the team through its channel.
		"mysql-to-postgres.yaml": {"copy", "catchup", "verify", "compare", "notify"},
	}
	for name, wantKinds := range engines {
		t.Run(name, func(t *testing.T) {
			rb := load(t, name)
			var ids []string
			kinds := map[string]int{}
			for _, p := range rb.Phases {
				ids = append(ids, p.ID)
				if p.Risk == "" || p.Expected.Text == "" || p.Description == "" {
					t.Errorf("phase %s: risk, expected and description are all wanted", p.ID)
				}
				if len(p.Rollback) == 0 {
					t.Errorf("phase %s has no rollback steps", p.ID)
				}
				if p.RollbackPoint == "" && p.ID != "decommission" {
					t.Errorf("phase %s sets no rollback point", p.ID)
				}
				critical, signoff := 0, false
				for _, it := range p.Items {
					kinds[it.Kind()]++
					if it.Critical {
						critical++
					}
					if it.Manual != nil && it.Manual.Role != "" {
						signoff = true
					}
				}
				if critical == 0 || !signoff {
					t.Errorf("phase %s: %d critical items, sign-off by a role %v", p.ID, critical, signoff)
				}
			}
			if !slices.Equal(ids, phases) {
				t.Errorf("phases %v, want %v", ids, phases)
			}
			for _, k := range append(wantKinds, "manual", "sql", "command", "tcp", "http", "wait") {
				if kinds[k] == 0 {
					t.Errorf("no %s item", k)
				}
			}
			s := rb.Summary()
			if len(s.Risks) < 3 || s.Procedures < 2 {
				t.Errorf("risk register %d, procedures %d: too thin", len(s.Risks), s.Procedures)
			}
			target := "${TARGET_DSN}"
			if name == "mysql-to-postgres.yaml" {
				target = "${TARGET_PG_DSN}"
			}
			if !strings.Contains(string(rb.Text), "${LEGACY_DSN}") || !strings.Contains(string(rb.Text), target) {
				t.Errorf("connections should come from ${LEGACY_DSN} and %s", target)
			}
		})
	}
}

// TestTemplateWindowHoldsThePlan: the downtime-copy template's window is
// long enough for every phase at its longest expected time.
func TestTemplateWindowHoldsThePlan(t *testing.T) {
	rb := load(t, "downtime-copy.yaml")
	w := rb.Plan.Window
	if w == nil {
		t.Fatal("downtime-copy.yaml declares no window")
	}
	var total time.Duration
	for _, p := range rb.Phases {
		total += p.Expected.Max.D()
	}
	if room := w.End.Sub(w.Start); total > room {
		t.Errorf("phases expect %s at most, the window holds %s", total, room)
	}
	if rb.Plan.Tolerance != 0.20 {
		t.Errorf("drift tolerance %v, want 0.20", rb.Plan.Tolerance)
	}
}
