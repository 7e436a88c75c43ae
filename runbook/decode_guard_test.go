package runbook

import (
	"strings"
	"testing"
)

const guardHead = `version: 1
name: t
connections:
  db: {driver: sqlite, dsn: "file:x.db"}
guards:
`

const guardTail = `phases:
  - id: p1
    title: P1
    items:
      - {id: a, title: A, manual: {}}
`

var guardEnv = map[string]string{"PROM_TOKEN": "prom-s3cret"}

func TestGuardsDecode(t *testing.T) {
	text := guardHead +
		`  - {id: lag, title: Lag, sql: {conn: db, query: "SELECT 1"}, every: 5s, for: 3, warn: "> 10", critical: {any: ["> 100", {rate: "> 5", window: 1m}]}}
  - {id: errs, title: Errors, prom: {url: "http://u:${PROM_TOKEN}@127.0.0.1:9090", query: "up"}, critical: "< 1"}
` + guardTail + `    guards:
      - {id: site, title: Site, tcp: {address: "127.0.0.1:1"}, warn: "= 0"}
`
	rb, err := Parse("rb.yaml", []byte(text), mapEnv(guardEnv))
	if err != nil {
		t.Fatal(err)
	}
	if len(rb.Guards) != 2 || len(rb.Phases[0].Guards) != 1 {
		t.Fatalf("guards = %+v / %+v", rb.Guards, rb.Phases[0].Guards)
	}
	g := rb.Guards[0]
	if g.Every != Duration(5e9) || g.For != 3 || g.Warn.String() != "> 10" || g.Critical.String() != "any(> 100, rate(1m) > 5)" {
		t.Errorf("lag = %+v warn %s critical %s", g, g.Warn, g.Critical)
	}
	if e := rb.Guards[1]; e.Every != DefaultGuardEvery || e.For != 1 || e.Warn != nil || e.Check.Prom == nil {
		t.Errorf("errs = %+v", e)
	}
	if p := rb.Phases[0].Guards[0]; p.Phase != "p1" || p.Check.TCP == nil {
		t.Errorf("site = %+v", p)
	}
	if n := len(rb.ActiveGuards(0)); n != 3 {
		t.Errorf("active in p1: %d guards, want 3", n)
	}
}

func TestGuardProblems(t *testing.T) {
	cases := []struct {
		name, guard string
		want        []string
	}{
		{"exec in a guard", `  - {id: g, title: G, sql: {conn: db, exec: "DELETE FROM t"}, critical: "> 0"}`,
			[]string{`rb.yaml:6:45: guard "g" sql: a guard never writes: exec is refused (use query)`}},
		{"unknown kind", `  - {id: g, title: G, copy: {from: db, to: db, tables: [t]}, critical: "> 0"}`,
			[]string{`rb.yaml:6:23: guard "g": a guard's check is sql, http, tcp, command or prom (read-only), not copy`}},
		{"bad threshold", `  - {id: g, title: G, tcp: {address: "h:1"}, critical: "> lots"}`,
			[]string{`rb.yaml:6:56: guard "g" critical: threshold: "> lots": > needs a number`}},
		{"missing thresholds", `  - {id: g, title: G, tcp: {address: "h:1"}}`,
			[]string{`rb.yaml:6:6: guard "g": needs warn or critical (a threshold such as "> 0.05")`}},
		{"duplicate ids", "  - {id: g, title: G, tcp: {address: \"h:1\"}, warn: \"= 0\"}\n  - {id: g, title: H, tcp: {address: \"h:2\"}, warn: \"= 0\"}",
			[]string{`rb.yaml:7:10: duplicate guard id "g" (first at 6:10)`}},
		{"every too short", `  - {id: g, title: G, tcp: {address: "h:1"}, warn: "= 0", every: 100ms}`,
			[]string{`rb.yaml:6:66: guard "g": every must be at least 1s`}},
		{"trend without window", `  - {id: g, title: G, tcp: {address: "h:1"}, warn: {rate: "> 1"}}`,
			[]string{`rb.yaml:6:53: guard "g" warn: rate needs a window (how far back, e.g. window: 5m)`}},
		{"window shorter than every", `  - {id: g, title: G, tcp: {address: "h:1"}, every: 1m, warn: {delta: "> 1", window: 30s}}`,
			[]string{`rb.yaml:6:53: guard "g": a trend window (30s) must be longer than every (1m)`}},
		{"secret url not quoted", `  - {id: g, title: G, http: {url: "${PROM_TOKEN}"}, warn: "!= 200"}`,
			[]string{`rb.yaml:6:35: guard "g" http: url must be an http:// or https:// address with a host`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := problemsOf(t, guardHead+c.guard+"\n"+guardTail, guardEnv)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
			if strings.Contains(strings.Join(got, "\n"), "prom-s3cret") {
				t.Error("a problem quotes the secret")
			}
		})
	}
}
