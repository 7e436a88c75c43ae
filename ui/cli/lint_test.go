package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const lintOK = `version: 1
name: ok
connections:
  legacy: {driver: mysql, dsn: "${LINT_TEST_DSN}"}
  new: {driver: sqlite, dsn: new.db}
risks:
  - {id: RISK-001, name: data loss, probability: medium, impact: high}
  - {id: RISK-002, name: slow, probability: low, impact: low}
procedures:
  stop: {steps: [stop]}
phases:
  - id: p
    title: P
    items:
      - {id: a, title: A, critical: true, sql: {conn: legacy, query: SELECT 1, expect: "1"}}
      - {id: b, title: B, manual: {role: dba}}
`

const lintBad = `version: 1
name: bad
connections:
  legacy: {driver: mysql, dsn: "root:${LINT_TEST_PW}@tcp(db:3306"}
phases:
  - id: p
    title: P
    items:
      - {id: a, title: A, sql: {conn: nope, query: SELECT 1}, colour: red}
`

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLint(t *testing.T) {
	dir := t.TempDir()
	ok := writeFile(t, dir, "ok.yaml", lintOK)
	bad := writeFile(t, dir, "bad.yaml", lintBad)
	t.Setenv("LINT_TEST_DSN", "app:dsn-secret@tcp(db:3306)/shop")
	t.Setenv("LINT_TEST_PW", "pw-secret")

	var out, errOut bytes.Buffer
	if code := Execute([]string{"lint", ok}, nil, &out, &errOut); code != ExitOK {
		t.Fatalf("valid runbook: exit %d\n%s%s", code, out.String(), errOut.String())
	}
	want := ok + ": ok — 1 phase, 2 items (1 critical), 2 risks (1 high, 1 low), 1 procedure\n" +
		"  RISK-001 data loss high   (medium × high)\n" +
		"  RISK-002 slow      low    (low × low)\n"
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
	}

	out.Reset()
	errOut.Reset()
	code := Execute([]string{"lint", ok, bad, filepath.Join(dir, "missing.yaml")}, nil, &out, &errOut)
	if code != ExitUsage {
		t.Fatalf("invalid runbook: exit %d, want %d", code, ExitUsage)
	}
	got := out.String()
	for _, line := range []string{
		ok + ": ok — ",
		bad + ":4:32: connection \"legacy\": dsn is not a valid MySQL DSN",
		bad + ":9:39: item \"a\" sql: unknown connection \"nope\" (connections: legacy)",
		bad + ":9:63: unknown field \"colour\" in item 1 of phase \"p\"",
		"missing.yaml: no such file or directory",
	} {
		if !strings.Contains(got, line) {
			t.Errorf("output lacks %q:\n%s", line, got)
		}
	}
	if !strings.Contains(errOut.String(), "lint: 4 problems in 2 of 3 runbooks") {
		t.Errorf("stderr: %q", errOut.String())
	}
	for _, secret := range []string{"pw-secret", "dsn-secret"} {
		if strings.Contains(got+errOut.String(), secret) {
			t.Errorf("lint shows secret %q:\n%s", secret, got)
		}
	}
}

func TestLintNeedsAFile(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := Execute([]string{"lint"}, nil, &out, &errOut); code != ExitUsage {
		t.Errorf("exit %d, want %d", code, ExitUsage)
	}
}
