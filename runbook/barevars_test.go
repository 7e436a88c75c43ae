package runbook

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBareVarsNoted(t *testing.T) {
	cases := map[string]string{
		`echo C=$C`:                           "C",
		`echo $C $C $API_TOKEN`:               "C API_TOKEN",
		`echo ${C} $${C} $$C`:                 "",
		`echo $1 $? $@ $# $* $- $!`:           "",
		`x=1; echo $x`:                        "",
		`X=1; echo $X`:                        "",
		`export X=1; echo "$X"`:               "",
		`for F in a b; do echo $F; done`:      "",
		`read -r A B; echo $A $B`:             "",
		`echo $HOME $PATH $USER $LC_ALL $PWD`: "",
		`echo '$Q' \$R # $Z`:                  "",
		`echo "a '$Q' b"`:                     "Q",
		`echo "$DB_PASS"`:                     "DB_PASS",
		`echo $Mixed $lower`:                  "",
	}
	for in, want := range cases {
		if got := strings.Join(bareVars(in), " "); got != want {
			t.Errorf("bareVars(%s) = %q, want %q", in, got, want)
		}
	}
}

// TestLintNotesBareVariable: `run: "echo C=$C"` is neither fingerprinted
// nor masked; lint notes it, with and without --env, and the runbook stays
// valid.
func TestLintNotesBareVariable(t *testing.T) {
	text := "version: 1\nname: t\ntitle: T\nphases:\n  - id: p1\n    title: P1\n    risk: low\n    expected: 1h\n    items:\n" +
		"      - {id: a, title: A, command: {run: \"echo C=$C; x=1; echo $x $HOME ${D}\"}}\n"
	const want = `rb.yaml:10:42: note: run: $C is not a runbook variable: write ${C} so that runway records its fingerprint and masks its value (lint notes a $NAME in capitals that the command does not set and the shell does not provide)`
	env := func(name string) (string, bool) { return "v", name == "D" }
	rb, notes, err := ParseStructure("rb.yaml", []byte(text), env)
	if err != nil || rb == nil || len(notes) != 1 || notes[0].String() != want {
		t.Errorf("lint: err %v, notes %q, want %q", err, notes, want)
	}
	path := filepath.Join(t.TempDir(), "rb.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("D", "v")
	rb, notes, err = LoadWithNotes(path)
	if err != nil || rb == nil || len(notes) != 1 || notes[0].String() != strings.Replace(want, "rb.yaml", path, 1) {
		t.Errorf("lint --env: err %v, notes %q", err, notes)
	}
}
