package runbook

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

func mustParse(t *testing.T, path, text string, env map[string]string) *Runbook {
	t.Helper()
	rb, err := Parse(path, []byte(text), mapEnv(env))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return rb
}

func TestSyntaxErrorIsOneLine(t *testing.T) {
	for _, text := range []string{
		"version: 1\nname: [a, b\nphases: []\n",
		"version: 1\nname: \"open\n",
		"a: 1\n  b: 2\n",
		"\t a: 1\n",
	} {
		_, err := Parse("rb.yaml", []byte(text), nil)
		var ps Problems
		if !errors.As(err, &ps) || len(ps) != 1 {
			t.Fatalf("%q: want one problem, got %v", text, err)
		}
		msg := ps[0].String()
		if strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "rb.yaml:") || !strings.Contains(msg, ": YAML syntax: ") {
			t.Errorf("%q: syntax problem %q is not one file:line:col line", text, msg)
		}
		if ps[0].Pos.Line < 1 || ps[0].Pos.Column < 1 {
			t.Errorf("%q: position %+v", text, ps[0].Pos)
		}
	}
	_, err := Parse("rb.yaml", []byte("version: 1\nname: [a, b\nphases: []\n"), nil)
	if got := err.Error(); got != "rb.yaml:3:1: YAML syntax: ',' or ']' must be specified" {
		t.Errorf("got %q", got)
	}
}

func TestSQLitePaths(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "books")
	text := `version: 1
name: t
connections:
  rel: {driver: sqlite, dsn: data/new.db}
  up: {driver: sqlite, dsn: ../old.db}
  relq: {driver: sqlite, dsn: "new.db?_pragma=busy_timeout(5000)"}
  uri: {driver: sqlite, dsn: "file:new.db?mode=ro"}
  abs: {driver: sqlite, dsn: /var/lib/app.db}
  absuri: {driver: sqlite, dsn: "file:/var/lib/app.db?mode=ro"}
  mem: {driver: sqlite, dsn: ":memory:"}
  memuri: {driver: sqlite, dsn: "file:shared?mode=memory&cache=shared"}
phases:
  - {id: p1, title: P1, items: [{id: a, title: A, manual: {}}]}
`
	rb := mustParse(t, filepath.Join(dir, "rb.yaml"), text, nil)
	if rb.Dir != dir {
		t.Errorf("Dir %q, want %q", rb.Dir, dir)
	}
	want := map[string]string{
		"rel":    filepath.Join(dir, "data/new.db"),
		"up":     filepath.Join(filepath.Dir(dir), "old.db"),
		"relq":   filepath.Join(dir, "new.db") + "?_pragma=busy_timeout(5000)",
		"uri":    "file:" + filepath.ToSlash(filepath.Join(dir, "new.db")) + "?mode=ro",
		"abs":    "/var/lib/app.db",
		"absuri": "file:/var/lib/app.db?mode=ro",
		"mem":    ":memory:",
		"memuri": "file:shared?mode=memory&cache=shared",
	}
	for name, dsn := range want {
		c, ok := rb.Conn(name)
		if !ok || c.DSN != dsn || c.Driver != "sqlite" {
			t.Errorf("%s: %+v, want dsn %q", name, c, dsn)
		}
	}
	// Connections keep file order.
	var names []string
	for _, c := range rb.Connections {
		names = append(names, c.Name)
	}
	if got := strings.Join(names, ","); got != "rel,up,relq,uri,abs,absuri,mem,memuri" {
		t.Errorf("connection order %s", got)
	}
}

func TestSQLiteURIEscapesFolder(t *testing.T) {
	got := sqliteDSN("/tmp/a?b#c%d", "file:x.db?mode=ro")
	if got != "file:/tmp/a%3fb%23c%25d/x.db?mode=ro" {
		t.Errorf("got %q", got)
	}
}

func TestRelativePathResolvesFromCurrentFolder(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	rb := mustParse(t, "", "version: 1\nname: t\nphases: [{id: p, title: P, items: [{id: a, title: A, manual: {}}]}]\n", nil)
	if rb.Dir != wd || rb.Path != "" {
		t.Errorf("Dir %q Path %q, want %q", rb.Dir, rb.Path, wd)
	}
}

func TestRiskLevels(t *testing.T) {
	cases := []struct {
		p, i Level
		want Level
	}{
		{Low, Low, Low}, {Low, Medium, Low}, {Medium, Low, Low},
		{Low, High, Medium}, {High, Low, Medium}, {Medium, Medium, Medium},
		{Medium, High, High}, {High, Medium, High}, {High, High, High},
		{"", High, Low},
	}
	for _, c := range cases {
		if got := (Risk{Probability: c.p, Impact: c.i}).Level(); got != c.want {
			t.Errorf("%s × %s = %s, want %s", c.p, c.i, got, c.want)
		}
	}
}

const fullRunbook = `version: 1
name: orders
title: Orders move
owner: lead
connections:
  old: {driver: sqlite, dsn: old.db}
  new: {driver: sqlite, dsn: new.db}
risks:
  - {id: RISK-001, name: data loss, probability: medium, impact: high, mitigation: verify}
  - {id: RISK-002, name: slow, probability: low, impact: high}
  - {id: R3, name: typo, probability: low, impact: low}
procedures:
  zeta: {title: Last written first, escalate_after: 1h, steps: [one, two]}
  alpha: {steps: [three]}
phases:
  - id: prep
    title: Prep
    expected: 1-2w
    items:
      - {id: sign, title: Sign, role: dba, critical: true, manual: {expect: ok}}
      - {id: own, title: Own, role: dba, manual: {role: lead, observe: true}}
      - {id: web, title: Web, http: {url: "http://x/health"}}
      - {id: soak, title: Soak, wait: {check: {sql: {conn: new, query: SELECT 1}}, for: 1h}}
    rollback:
      - {title: Undo, sql: {conn: new, exec: DELETE FROM t}}
      - {id: named, title: Named, manual: {}}
    rollback_point: prep_done
  - id: move
    title: Move
    overrides: two-person
    items:
      - {id: copy, title: Copy, critical: true, copy: {from: old, to: new, tables: [a, b]}}
      - {id: ver, title: Verify, verify: {from: old, to: new, tables: [a], sample: 10%}}
      - {id: chase, title: Chase, catchup: {from: old, to: new, log_table: changes}}
      - {id: cmp, title: Compare, compare: {old: {conn: old, query: q}, new: {conn: new, query: q}, key: [id]}}
`

func TestDefaultsAndLookups(t *testing.T) {
	rb := mustParse(t, "rb.yaml", fullRunbook, nil)
	prep, i := rb.Phase("prep")
	if prep == nil || i != 0 || prep.Overrides != OverrideReason || prep.Expected.Min != Duration(7*24*time.Hour) {
		t.Fatalf("prep %+v at %d", prep, i)
	}
	if p, i := rb.Phase("nope"); p != nil || i != -1 {
		t.Errorf("unknown phase found: %v %d", p, i)
	}
	if move, _ := rb.Phase("move"); move.Overrides != OverrideTwoPerson {
		t.Errorf("overrides %q", move.Overrides)
	}
	sign, _ := rb.Item("prep", "sign")
	if sign.Manual.Role != "dba" || sign.Pos != (Position{20, 10}) {
		t.Errorf("manual role falls back to the item's: %+v", sign)
	}
	if own, _ := rb.Item("", "own"); own.Manual.Role != "lead" || !own.Manual.Observe {
		t.Errorf("manual role of its own: %+v", own.Manual)
	}
	if web, _ := rb.Item("prep", "web"); web.HTTP.Method != "GET" || web.HTTP.ExpectStatus != 200 {
		t.Errorf("http defaults: %+v", web.HTTP)
	}
	soak, _ := rb.Item("prep", "soak")
	if w := soak.Wait; w.Every != DefaultWaitEvery || w.For.D() != time.Hour || w.Check.SQL == nil || w.Check.Kind() != "sql" {
		t.Errorf("wait: %+v", w)
	}
	if undo, ok := rb.Item("prep", "prep-rollback-1"); !ok || undo.SQL.Exec != "DELETE FROM t" {
		t.Errorf("rollback id not generated: %v", prep.Rollback)
	}
	if _, ok := rb.Item("prep", "named"); !ok {
		t.Error("named rollback step not found")
	}
	if _, ok := rb.Item("move", "sign"); ok {
		t.Error("item found in the wrong phase")
	}
	if v, _ := rb.Item("", "ver"); v.Verify.MinMatch != 1 || v.Verify.Sample != 0.1 {
		t.Errorf("verify: %+v", v.Verify)
	}
	if c, _ := rb.Item("", "chase"); c.Catchup.Until != UntilConverged || c.Catchup.ConvergeFor != DefaultConvergeFor {
		t.Errorf("catchup: %+v", c.Catchup)
	}
	if c, _ := rb.Item("", "cmp"); c.Compare.MinMatch != 1 || c.Compare.Old.Conn != "old" || c.Compare.New.Query != "q" {
		t.Errorf("compare: %+v", c.Compare)
	}
	if _, ok := rb.Conn("gone"); ok {
		t.Error("unknown connection found")
	}
	var procs []string
	for _, p := range rb.Procedures {
		procs = append(procs, p.ID)
	}
	if strings.Join(procs, ",") != "zeta,alpha" || rb.Procedures[0].EscalateAfter.D() != time.Hour {
		t.Errorf("procedures %v", rb.Procedures)
	}
}

func TestSummary(t *testing.T) {
	s := mustParse(t, "rb.yaml", fullRunbook, nil).Summary()
	if got := s.String(); got != "2 phases, 8 items (2 critical), 3 risks (1 high, 1 medium, 1 low), 2 procedures" {
		t.Errorf("summary %q", got)
	}
	want := []string{
		"RISK-001 data loss high   (medium × high)",
		"RISK-002 slow      medium (low × high)",
		"R3       typo      low    (low × low)",
	}
	if got := s.RiskLines(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("risk lines:\n%s", strings.Join(got, "\n"))
	}
	if s.RollbackSteps != 2 || s.Connections != 2 {
		t.Errorf("%+v", s)
	}
	one := Summary{Phases: 1, Items: 1}
	if got := one.String(); got != "1 phase, 1 item (0 critical), 0 risks, 0 procedures" {
		t.Errorf("singular: %q", got)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rb.yaml")
	if err := os.WriteFile(path, []byte(mysqlRunbook), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LEGACY_DSN", "app:from-env@tcp(old:3306)/shop")
	t.Setenv("APP_HOST", "localhost")
	t.Setenv("TARGET_PW", "pw")
	rb, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if rb.Path != path || rb.Dir != dir || string(rb.Text) != mysqlRunbook || rb.Secrets.String("from-env") != Redacted {
		t.Errorf("loaded %q %q, secret masked as %q", rb.Path, rb.Dir, rb.Secrets.String("from-env"))
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: %v", err)
	}
}

func TestProblemsSortedAndDeduplicated(t *testing.T) {
	ps := Problems{
		{File: "f", Pos: Position{3, 1}, Msg: "c"},
		{File: "f", Pos: Position{1, 5}, Msg: "b"},
		{File: "f", Pos: Position{1, 2}, Msg: "a"},
		{File: "f", Pos: Position{1, 2}, Msg: "a"},
	}
	if got := ps.dedup().Error(); got != "f:1:2: a\nf:1:5: b\nf:3:1: c" {
		t.Errorf("got %q", got)
	}
}

func TestAliasBombIsBounded(t *testing.T) {
	// 300 phases of 300 items of 10 tables, through aliases: 90,000 items
	// from a 5 kB file if expanded naively.
	text := "version: 1\nname: t\n" +
		"connections: {old: {driver: sqlite, dsn: a.db}, new: {driver: sqlite, dsn: b.db}}\n" +
		"x: &t [a, b, c, d, e, f, g, h, i, j]\n" +
		"y: &i {id: a, title: A, copy: {from: old, to: new, tables: *t}}\n" +
		"z: &p {id: p, title: P, items: [*i" + strings.Repeat(", *i", 299) + "]}\n" +
		"phases: [*p" + strings.Repeat(", *p", 299) + "]\n"
	_, err := Parse("rb.yaml", []byte(text), nil)
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("alias bomb: %v", err)
	}
	if len(ps) > maxProblems+1 {
		t.Errorf("alias bomb: %d problems", len(ps))
	}
}

func TestResolveBudget(t *testing.T) {
	d := &decoder{file: "f"}
	n := &ast.StringNode{Token: &token.Token{Value: "x", Position: &token.Position{Line: 2, Column: 3}}, Value: "x"}
	for range maxVisits {
		if d.resolve(n) != n {
			t.Fatal("resolved to something else before the budget ran out")
		}
	}
	if d.resolve(n) != nil || d.resolve(n) != nil {
		t.Fatal("budget not enforced")
	}
	if len(d.probs) != 0 || d.limit == nil || d.limit.String() != "f:2:3: runbook too large: more than 200000 values (runway reads at most 200000)" {
		t.Errorf("problems %v, limit %v", d.probs, d.limit)
	}
}

func TestProblemCountIsCapped(t *testing.T) {
	text := head + strings.Repeat("      - {id: a, title: A}\n", 2*maxProblems)
	_, err := Parse("rb.yaml", []byte(text), nil)
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != maxProblems+1 {
		t.Fatalf("%d problems, want %d", len(ps), maxProblems+1)
	}
	if !strings.Contains(err.Error(), "more than 500 problems; stopped reporting here") {
		t.Error("cap not reported")
	}
}
