package runbook

import (
	"strings"
	"testing"
)

// Variables expand in a runbook's values, and what they expand to is a secret.

func TestExpand(t *testing.T) {
	env := mapEnv(map[string]string{"HOST": "db.internal", "EMPTY": "", "PW": "hunter2"})
	cases := []struct {
		in, out  string
		secrets  []string
		problems int
	}{
		{"plain $HOST text", "plain $HOST text", nil, 0},
		{"${HOST}:3306", "db.internal:3306", []string{"db.internal"}, 0},
		{"${MISSING:-fallback}", "fallback", nil, 0},
		{"${EMPTY:-fallback}", "fallback", nil, 0},
		{"[${EMPTY}]", "[]", nil, 0},
		{"${HOST:-ignored}", "db.internal", []string{"db.internal"}, 0},
		{"u:${PW}@${HOST}", "u:hunter2@db.internal", []string{"hunter2", "db.internal"}, 0},
		{"$${HOST} stays", "${HOST} stays", nil, 0},
		{"${MISSING}", "", nil, 1},
		{"${MISSING} and ${ALSO}", " and ", nil, 2},
		{"${}", "", nil, 1},
		{"${HOST-x}", "", nil, 1},
		{"${HOST", "", nil, 1},
		{"${A:-x}y${B:-}", "xy", nil, 0},
	}
	for _, c := range cases {
		x := expand(c.in, env)
		if x.text != c.out || strings.Join(x.secrets, ",") != strings.Join(c.secrets, ",") || len(x.problems) != c.problems {
			t.Errorf("expand(%q) = %q secrets %q problems %q; want %q %q %d", c.in, x.text, x.secrets, x.problems, c.out, c.secrets, c.problems)
		}
	}
}

const mysqlRunbook = `version: 1
name: t
title: "${TITLE:-Default title}"
connections:
  legacy: {driver: mysql, dsn: "${LEGACY_DSN}"}
  target: {driver: mysql, dsn: "app:${TARGET_PW}@tcp(new:3306)/shop"}
phases:
  - id: p1
    title: P1
    items:
      - {id: a, title: "Check ${APP_HOST}", tcp: {address: "${APP_HOST}:80"}}
`

func TestSecretsRegistered(t *testing.T) {
	rb := mustParse(t, "rb.yaml", mysqlRunbook, map[string]string{
		"LEGACY_DSN": "app:env-pass@tcp(old:3306)/shop",
		"APP_HOST":   "app.internal",
		"TARGET_PW":  "literal-pass",
	})
	for _, secret := range []string{"app:env-pass@tcp(old:3306)/shop", "env-pass", "literal-pass", "app.internal"} {
		if got := rb.Secrets.String("x " + secret + " y"); strings.Contains(got, secret) {
			t.Errorf("%q is not masked: %q", secret, got)
		}
	}
	if got := rb.Secrets.String("Default title"); got != "Default title" {
		t.Errorf("a default written in the file became a secret: %q", got)
	}
	if rb.Title != "Default title" || rb.Phases[0].Items[0].TCP.Address != "app.internal:80" {
		t.Errorf("expansion: title %q, address %q", rb.Title, rb.Phases[0].Items[0].TCP.Address)
	}
	if c, _ := rb.Conn("legacy"); c.DSN != "app:env-pass@tcp(old:3306)/shop" {
		t.Errorf("legacy DSN %q", c.DSN)
	}
	if !strings.Contains(string(rb.Text), "${LEGACY_DSN}") {
		t.Error("Text must hold the file as read, not the expanded values")
	}
}

// TestSecretsNeverInProblems makes every kind of problem that could quote a
// value and checks no secret survives in the text.
func TestSecretsNeverInProblems(t *testing.T) {
	env := map[string]string{
		"BAD_DSN":  "root:env-hunter2@tcp(old:3306", // no database slash: rejected by the driver
		"GOOD_DSN": "root:env-swordfish@tcp(old:3306)/db",
		"DRIVER":   "secret-driver",
		"ITEM_ID":  "secret-id",
		"CONN":     "secret-conn",
		"REGEX":    "secret([",
		"DUR":      "secret-duration",
	}
	text := `version: 1
name: t
connections:
  bad: {driver: mysql, dsn: "${BAD_DSN}"}
  good: {driver: mysql, dsn: "${GOOD_DSN}"}
  lit: {driver: mysql, dsn: "root:literal-pw@tcp(h:3306)?x=1"}
  weird: {driver: "${DRIVER}", dsn: x}
  url: {driver: mysql, dsn: "mysql://root:url-pw@h:3306/db"}
phases:
  - id: p1
    title: P1
    items:
      - {id: "${ITEM_ID}", title: A, sql: {conn: "${CONN}", query: q}}
      - {id: "${ITEM_ID}", title: B, command: {run: x, expect_output: "${REGEX}"}, timeout: "${DUR}"}
      - {id: c, title: C, copy: {from: good, to: good, tables: [t]}}
`
	_, err := Parse("rb.yaml", []byte(text), mapEnv(env))
	if err == nil {
		t.Fatal("want problems")
	}
	msg := err.Error()
	for _, secret := range []string{"env-hunter2", "env-swordfish", "literal-pw", "url-pw", "secret-driver", "secret-id", "secret-conn", "secret([", "secret-duration"} {
		if strings.Contains(msg, secret) {
			t.Errorf("problems show %q:\n%s", secret, msg)
		}
	}
	for _, want := range []string{
		`rb.yaml:4:29: connection "bad": dsn is not a valid MySQL DSN`,
		`rb.yaml:6:29: connection "lit": dsn is not a valid MySQL DSN`,
		`rb.yaml:8:29: connection "url": dsn is not a valid MySQL DSN`,
		`rb.yaml:7:19: driver: unknown value "***"`,
		`rb.yaml:6:29: connection "lit": dsn: the password is written in the runbook, whose text the audit log stores as written; write it as ${VAR} and set VAR in the environment`,
		`rb.yaml:13:14: item 1 of phase "p1": id: variables are secrets`,
		`unknown connection "***"`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("problems lack %q:\n%s", want, msg)
		}
	}
	if n := strings.Count(msg, "\n") + 1; n < 8 {
		t.Errorf("only %d problems:\n%s", n, msg)
	}
}

// TestCommandKeepsReferences: a command's run text keeps its ${VAR}
// references, the values travel as environment, and they are secrets.
func TestCommandKeepsReferences(t *testing.T) {
	text := head + "      - {id: a, title: A, command: {run: \"echo \\\"${TOKEN}\\\" ${TOKEN} ${HOST:-h} ${GONE:-g} $${HOME}\"}}\n"
	rb, err := Parse("rb.yaml", []byte(text), mapEnv(map[string]string{"TOKEN": "it's $(secret)", "HOST": ""}))
	if err != nil {
		t.Fatal(err)
	}
	c := rb.Phases[0].Items[0].Command
	if want := `echo "${TOKEN}" ${TOKEN} ${HOST:-h} ${GONE:-g} ${HOME}`; c.Run != want {
		t.Errorf("run = %q, want %q", c.Run, want)
	}
	if want := []string{"TOKEN=it's $(secret)", "HOST=", "GONE="}; strings.Join(c.Env, "|") != strings.Join(want, "|") {
		t.Errorf("env = %q, want %q", c.Env, want)
	}
	if got := rb.Secrets.String("it's $(secret)"); got != Redacted {
		t.Errorf("value not registered as a secret: %q", got)
	}
}
