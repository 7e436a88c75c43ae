package runbook

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzSecret is what every ${VAR} expands to while fuzzing; it must never
// show in a problem unless the input itself contains it.
const fuzzSecret = "fuzz-secret-9f2c"

func fuzzEnv(name string) (string, bool) {
	if strings.HasSuffix(name, "_DSN") {
		return "app:" + fuzzSecret + "@tcp(db:3306)/shop", true
	}
	if strings.HasPrefix(name, "UNSET") {
		return "", false
	}
	return fuzzSecret, true
}

// FuzzParse feeds the loader arbitrary text: it must never panic, a valid
// runbook must hold its invariants, and problems must be well-formed lines
// that leak no secret.
func FuzzParse(f *testing.F) {
	templates, _ := filepath.Glob("../runbooks/*.yaml")
	for _, path := range templates {
		if text, err := os.ReadFile(path); err == nil {
			f.Add(text)
		}
	}
	for _, text := range []string{fullRunbook, mysqlRunbook, head + "      - {id: a, title: A, manual: {}}\n",
		"a: [1, 2\n", "", "---\n---\n", "x: &a [*a]\n", "<<: {a: 1}\n", "? [a]\n: b\n"} {
		f.Add([]byte(text))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		rb, err := Parse("fuzz.yaml", text, fuzzEnv)
		if err == nil {
			checkInvariants(t, rb)
			return
		}
		var ps Problems
		if !errors.As(err, &ps) || len(ps) == 0 {
			t.Fatalf("error is not Problems: %v", err)
		}
		for _, p := range ps {
			if p.Pos.Line < 1 || p.Pos.Column < 1 || p.Msg == "" || strings.ContainsAny(p.Msg, "\r\n") {
				t.Fatalf("malformed problem %q", p.String())
			}
		}
		if !bytes.Contains(text, []byte(fuzzSecret)) && strings.Contains(err.Error(), fuzzSecret) {
			t.Fatalf("secret in problems:\n%v", err)
		}
	})
}

// checkInvariants are what every caller may rely on in a valid runbook.
func checkInvariants(t *testing.T, rb *Runbook) {
	t.Helper()
	if rb == nil || rb.Version != 1 || rb.Name == "" || len(rb.Phases) == 0 || rb.Secrets == nil {
		t.Fatalf("valid runbook without its basics: %+v", rb)
	}
	ids := map[string]bool{}
	for _, p := range rb.Phases {
		if p.ID == "" || p.Title == "" || len(p.Items) == 0 {
			t.Fatalf("phase %+v", p)
		}
		for _, list := range [][]Item{p.Items, p.Rollback} {
			for _, it := range list {
				if it.ID == "" || ids[it.ID] || it.Title == "" || it.Kind() == "" {
					t.Fatalf("item %+v (seen: %v)", it, ids[it.ID])
				}
				ids[it.ID] = true
				if it.Wait != nil && (it.Wait.Check.Kind() == "" || it.Wait.Check.IsEngine() || it.Wait.Check.Wait != nil || it.Wait.Check.Manual != nil) {
					t.Fatalf("wait check %+v", it.Wait.Check)
				}
			}
		}
	}
	_ = rb.Summary().String()
	_ = rb.Summary().RiskLines()
}
