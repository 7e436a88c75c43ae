package runbook

import (
	"strings"
	"testing"
)

// TestLiteralDSNPasswordRefused: the runbook text is stored in the audit log
// as written, so a password must come from a variable.
func TestLiteralDSNPasswordRefused(t *testing.T) {
	const lit = `: dsn: the password is written in the runbook, whose text the audit log stores as written; write it as ${VAR} and set VAR in the environment`
	env := map[string]string{"PW": "from-env", "DSN": "app:whole@tcp(h:3306)/db", "U": "app"}
	cases := []struct {
		dsn  string
		want string // "" when accepted
	}{
		{`app:hunter2@tcp(h:3306)/db`, `rb.yaml:4:29: connection "old"` + lit},
		{`app:pre${PW}@tcp(h:3306)/db`, `rb.yaml:4:29: connection "old"` + lit},
		{`app:${PW:-hunter2}@tcp(h:3306)/db`, `rb.yaml:4:29: connection "old"` + lit},
		{`mysql://app:hunter2@h:3306/db`, `rb.yaml:4:29: connection "old"` + lit},
		{`app:${PW}@tcp(h:3306)/db`, ""},
		{`${U}:${PW}@tcp(h:3306)/db?tls=skip-verify`, ""},
		{`${DSN}`, ""},
		{`root@tcp(h:3306)/db`, ""},
		{`app:${PW:-}@tcp(h:3306)/db`, ""},
		{`app:***@tcp(h:3306)/db`, ""}, // stored masked by an older runway: replay still reads it
	}
	for _, c := range cases {
		text := "version: 1\nname: t\nconnections:\n  old: {driver: mysql, dsn: \"" + c.dsn + "\"}\n" +
			"phases:\n  - id: p1\n    title: P1\n    items:\n      - {id: a, title: A, manual: {}}\n"
		got := problemsOf(t, text, env)
		found := c.want == "" && len(got) == 0
		for _, p := range got {
			found = found || c.want != "" && p == c.want
		}
		if !found {
			t.Errorf("dsn %s: problems %q, want %q", c.dsn, got, c.want)
		}
		if strings.Contains(strings.Join(got, "\n"), "hunter2") {
			t.Errorf("dsn %s: the password is shown: %q", c.dsn, got)
		}
	}
}

// TestVariablesRefusedInNamesAndIDs: the runbook's name, phase and item ids
// and rollback points are stored in clear (sessions table, events.phase and
// events.item), so they may not hold a secret.
func TestVariablesRefusedInNamesAndIDs(t *testing.T) {
	text := `version: 1
name: "orders-${ENV}"
phases:
  - id: "${PHASE}"
    title: P1
    rollback_point: "p-${ENV}"
    items:
      - {id: "i-${ENV:-x}", title: A, manual: {}}
    rollback:
      - {id: "r-${ENV}", title: R, manual: {}}
`
	const why = `variables are secrets, and a name is shown in progress, errors and the audit log; write the name itself`
	want := []string{
		`rb.yaml:2:7: runbook: name: ` + why,
		`rb.yaml:4:9: phase 1: id: ` + why,
		`rb.yaml:6:21: phase 1: rollback_point: ` + why,
		`rb.yaml:8:14: item 1 of phase "": id: ` + why,
		`rb.yaml:10:14: rollback step 1 of phase "": id: ` + why,
	}
	got := problemsOf(t, text, map[string]string{"ENV": "prod", "PHASE": "one"})
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestDSNErrorQuotesNoVariable: a DSN the driver refuses is reported with
// the reason's words, but no fragment of a variable's value.
func TestDSNErrorQuotesNoVariable(t *testing.T) {
	const secret = "hunter2%zzq"
	cases := []struct{ dsn, want string }{
		{`root:${PW}@tcp(h:3306)/${S}`, `rb.yaml:4:29: connection "old": dsn is not a valid MySQL DSN (invalid dbname: invalid URL escape; a variable's value is not quoted)`},
		{`root:${PW}@tcp(h:3306)/db?parseTime=${S}`, `rb.yaml:4:29: connection "old": dsn is not a valid MySQL DSN (invalid bool value; a variable's value is not quoted)`},
		{`root:${PW}@tcp(h:3306/${S}`, `rb.yaml:4:29: connection "old": dsn is not a valid MySQL DSN (invalid DSN: network address not terminated (missing closing brace); a variable's value is not quoted)`},
	}
	for _, c := range cases {
		text := "version: 1\nname: t\nconnections:\n  old: {driver: mysql, dsn: \"" + c.dsn + "\"}\n" +
			"phases:\n  - id: p1\n    title: P1\n    items:\n      - {id: a, title: A, manual: {}}\n"
		got := strings.Join(problemsOf(t, text, map[string]string{"S": secret, "PW": "pw"}), "\n")
		if got != c.want {
			t.Errorf("dsn %s: problems %q, want %q", c.dsn, got, c.want)
		}
		for _, frag := range []string{"hunter", "%zz", "zzq", "***"} {
			if strings.Contains(got, frag) {
				t.Errorf("dsn %s: %q shows %q", c.dsn, got, frag)
			}
		}
	}
}
