package runbook

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// awkwardSecrets are values whose escaped forms differ from their bytes.
var awkwardSecrets = []string{
	`Qu"ote-Secret`,
	`back\slash-Secret`,
	"tab\there-Secret",
	"new\nline-Secret",
	`it's-a-Secret`,
	`100%-Secret`,
	"Sécrèt-ünïcode-密码",
	"amp&<lt>-Secret",
	"ctl\x01\x1b-Secret",
	"paren([-Secret",
}

// TestRedactorMasksEveryForm: an error that quotes a value, a JSON payload
// or a URL writes a secret escaped; every such form is masked.
func TestRedactorMasksEveryForm(t *testing.T) {
	for _, secret := range awkwardSecrets {
		r := &Redactor{}
		r.Add(secret)
		jsonHTML, _ := json.Marshal(secret)
		forms := map[string]string{
			"raw":          secret,
			"%q":           fmt.Sprintf("bad duration %q (use 90s)", secret),
			"%+q":          fmt.Sprintf("%+q", secret),
			"%#v":          fmt.Sprintf("%#v", []string{secret}),
			"QuoteToGrap":  strconv.QuoteToGraphic(secret),
			"json":         string(jsonHTML),
			"json-noHTML":  `{"e":"` + jsonInner(secret, false) + `"}`,
			"yaml":         `title: "` + yamlInner(secret) + `"`,
			"query":        "http://h/?pw=" + url.QueryEscape(secret),
			"path":         "http://h/" + url.PathEscape(secret) + "/x",
			"url-userinfo": (&url.URL{Scheme: "mysql", User: url.UserPassword("u", secret), Host: "h"}).String(),
		}
		for name, text := range forms {
			got := r.String(text)
			if !strings.Contains(got, Redacted) || leaks(got, secret) {
				t.Errorf("secret %q, form %s: %q masked as %q", secret, name, text, got)
			}
		}
	}
}

// leaks reports whether text still holds the secret or a recognisable piece
// of it: its distinctive stem.
func leaks(text, secret string) bool {
	stem := secret
	if i := strings.IndexAny(stem, "\"\\\t\n'%&\x01"); i > 3 {
		stem = stem[:i]
	}
	return strings.Contains(text, secret) || strings.Contains(text, stem)
}

// TestDecodeErrorsNeverShowAwkwardSecrets runs the decoder's own error paths
// (bad duration, number, enum, boolean, ratio, DSN parsing) on values that
// hold quotes, backslashes, tabs and non-ASCII text.
func TestDecodeErrorsNeverShowAwkwardSecrets(t *testing.T) {
	for _, secret := range awkwardSecrets {
		env := map[string]string{
			"S":   secret,
			"DSN": "root:" + secret + "@tcp(h:3306", // rejected by the driver
			"URL": "mysql://root:" + secret + "@h:3306/db",
		}
		text := `version: 1
name: t
connections:
  a: {driver: mysql, dsn: "${DSN}"}
  b: {driver: mysql, dsn: "${URL}"}
  c: {driver: "${S}", dsn: x}
phases:
  - id: p1
    title: P1
    risk: "${S}"
    expected: "${S}"
    items:
      - {id: a, title: A, timeout: "${S}", retries: "${S}", critical: "${S}", manual: {}}
      - {id: b, title: B, wait: {check: {tcp: {address: "${S}"}}, every: "${S}", for: 1h, max_failure_ratio: "${S}"}}
      - {id: c, title: C, http: {url: "http://h/", method: "${S}"}}
      - {id: d, title: D, command: {run: x, expect_output: "(${S}"}}
`
		_, err := Parse("rb.yaml", []byte(text), mapEnv(env))
		if err == nil {
			t.Fatalf("secret %q: want problems", secret)
		}
		msg := err.Error()
		if n := strings.Count(msg, "\n") + 1; n < 10 {
			t.Errorf("secret %q: only %d problems:\n%s", secret, n, msg)
		}
		for _, line := range strings.Split(msg, "\n") {
			if leaks(line, secret) {
				t.Errorf("secret %q shows in %q", secret, line)
			}
		}
	}
}

// TestShortSecretsMaskedAsTokens: a one- or two-byte secret is masked where
// it stands alone, not inside a longer word or number.
func TestShortSecretsMaskedAsTokens(t *testing.T) {
	r := &Redactor{}
	r.Add("42", "x")
	cases := map[string]string{
		"pin=42":                         "pin=***",
		"42 rows":                        "*** rows",
		"1042 rows":                      "1042 rows",
		`{"pin":"42"}`:                   `{"pin":"***"}`,
		"x42y":                           "x42y",
		"a x b":                          "a *** b",
		"extra":                          "extra",
		"42":                             "***",
		"é42":                            "é42",
		"ax=42&y=x":                      "ax=***&y=***",
		"secrets: 42, 42 ,420":           "secrets: ***, *** ,420",
		"2.5 and 42.0 and 0.42":          "2.5 and 42.0 and 0.42",
		"pin 42.":                        "pin ***.",
		`{"attempt":42,"rows":[42,-42]}`: `{"attempt":42,"rows":[42,-42]}`,
		`{"out":"pin=42"}`:               `{"out":"pin=***"}`,
	}
	for in, want := range cases {
		if got := r.String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
}
