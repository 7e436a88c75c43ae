package runbook

import (
	"errors"
	"strings"
	"testing"
)

// head is a valid runbook up to its first phase's items; item lines start at
// line 10 and their flow mappings' first key at column 10.
const head = `version: 1
name: t
connections:
  old: {driver: sqlite, dsn: old.db}
  new: {driver: sqlite, dsn: new.db}
phases:
  - id: p1
    title: P1
    items:
`

func problemsOf(t *testing.T, text string, env map[string]string) []string {
	t.Helper()
	rb, err := Parse("rb.yaml", []byte(text), mapEnv(env))
	if err == nil {
		if rb == nil {
			t.Fatal("nil runbook without error")
		}
		return nil
	}
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error is %T, want Problems: %v", err, err)
	}
	if rb != nil {
		t.Error("runbook returned along with problems")
	}
	return strings.Split(ps.Error(), "\n")
}

func mapEnv(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func TestValidationProblems(t *testing.T) {
	cases := []struct {
		name string
		text string
		want []string
	}{
		{"valid", head + "      - {id: a, title: A, manual: {}}\n", nil},
		{"unknown item field",
			head + "      - {id: a, title: A, manual: {}, colour: red}\n",
			[]string{`rb.yaml:10:39: unknown field "colour" in item 1 of phase "p1"`}},
		{"unknown field with a suggestion",
			head + "      - {id: a, title: A, command: {run: \"true\", expect_exitt: 1}}\n",
			[]string{`rb.yaml:10:50: unknown field "expect_exitt" in item "a" command; did you mean "expect_exit"?`}},
		{"every unknown field, not just the first",
			"version: 1\nname: t\nowner: me\nowners: you\ncolour: red\n" + strings.TrimPrefix(head, "version: 1\nname: t\n") + "      - {id: a, title: A, manual: {}}\n",
			[]string{
				`rb.yaml:4:1: unknown field "owners" in runbook; did you mean "owner"?`,
				`rb.yaml:5:1: unknown field "colour" in runbook`,
			}},
		{"missing version, name and phases",
			"title: T\n",
			[]string{
				"rb.yaml:1:1: runbook: missing version (write version: 1)",
				"rb.yaml:1:1: runbook: missing name",
				"rb.yaml:1:1: runbook: missing phases",
			}},
		{"wrong version",
			strings.Replace(head, "version: 1", "version: 2", 1) + "      - {id: a, title: A, manual: {}}\n",
			[]string{`rb.yaml:1:10: unsupported version "2" (this runway reads version 1)`}},
		{"missing phase title and item id",
			"version: 1\nname: t\nphases:\n  - id: p1\n    items:\n      - {title: A, manual: {}}\n",
			[]string{
				`rb.yaml:4:5: phase "p1": missing title`,
				`rb.yaml:6:10: item 1 of phase "p1": missing id`,
			}},
		{"missing item title",
			head + "      - {id: a, manual: {}}\n",
			[]string{`rb.yaml:10:10: item "a": missing title`}},
		{"duplicate phase id",
			head + "      - {id: a, title: A, manual: {}}\n  - id: p1\n    title: again\n    items:\n      - {id: b, title: B, manual: {}}\n",
			[]string{`rb.yaml:11:9: duplicate phase id "p1" (first at 7:9)`}},
		{"duplicate item id across phases",
			head + "      - {id: a, title: A, manual: {}}\n  - id: p2\n    title: P2\n    items:\n      - {id: a, title: again, manual: {}}\n",
			[]string{`rb.yaml:14:14: duplicate item id "a" (first at 10:14)`}},
		{"duplicate risk id",
			head + "      - {id: a, title: A, manual: {}}\nrisks:\n  - {id: R1, name: one, probability: low, impact: low}\n  - {id: R1, name: two, probability: low, impact: low}\n",
			[]string{`rb.yaml:13:10: duplicate risk id "R1" (first at 12:10)`}},
		{"duplicate key",
			head + "      - {id: a, title: A, title: B, manual: {}}\n",
			[]string{`rb.yaml:10:27: duplicate field "title" in item 1 of phase "p1" (first at 10:17)`}},
		{"no kind",
			head + "      - {id: a, title: A, role: dba}\n",
			[]string{`rb.yaml:10:10: item "a" has no kind (give it one of manual, command, sql, tcp, http, wait, compare, copy, verify, catchup, notify or prom)`}},
		{"two kinds",
			head + "      - {id: a, title: A, tcp: {address: \"db:3306\"}, manual: {}}\n",
			[]string{`rb.yaml:10:54: item "a" has two kinds, tcp and manual (an item does exactly one thing)`}},
		{"unknown connection",
			head + "      - {id: a, title: A, sql: {conn: nope, query: SELECT 1}}\n",
			[]string{`rb.yaml:10:39: item "a" sql: unknown connection "nope" (connections: old, new)`}},
		{"unknown connection in every engine",
			head + "      - {id: a, title: A, copy: {from: old, to: gone, tables: [t]}}\n" +
				"      - {id: b, title: B, verify: {from: gone, to: new, tables: [t]}}\n" +
				"      - {id: c, title: C, catchup: {from: old, to: gone, log_table: l}}\n" +
				"      - {id: d, title: D, compare: {old: {conn: gone, query: q}, new: {conn: new, query: q}}}\n",
			[]string{
				`rb.yaml:10:49: item "a" copy: unknown connection "gone" (connections: old, new)`,
				`rb.yaml:11:42: item "b" verify: unknown connection "gone" (connections: old, new)`,
				`rb.yaml:12:52: item "c" catchup: unknown connection "gone" (connections: old, new)`,
				`rb.yaml:13:49: item "d" compare old: unknown connection "gone" (connections: old, new)`,
			}},
		{"bad duration",
			head + "      - {id: a, title: A, timeout: 5q, manual: {}}\n",
			[]string{`rb.yaml:10:36: timeout: bad duration "5q" (use 90s, 15m, 2h, 3d, 2w)`}},
		{"bad expected",
			strings.Replace(head, "    title: P1\n", "    title: P1\n    expected: 2-1h\n", 1) + "      - {id: a, title: A, manual: {}}\n",
			[]string{`rb.yaml:9:15: expected: expected range "2-1h" ends before it starts`}},
		{"unknown driver",
			strings.Replace(head, "driver: sqlite, dsn: old.db", "driver: oracle, dsn: old.db", 1) + "      - {id: a, title: A, manual: {}}\n",
			[]string{`rb.yaml:4:17: driver: unknown value "oracle" (use mysql, postgres or sqlite)`}},
		{"unknown risk level",
			head + "      - {id: a, title: A, manual: {}}\nrisks:\n  - {id: R1, name: one, probability: often, impact: low}\n",
			[]string{`rb.yaml:12:38: probability: unknown value "often" (use low, medium or high)`}},
		{"unknown phase risk and overrides",
			strings.Replace(head, "    title: P1\n", "    title: P1\n    risk: severe\n    overrides: never\n", 1) + "      - {id: a, title: A, manual: {}}\n",
			[]string{
				`rb.yaml:9:11: risk: unknown value "severe" (use low, medium or high)`,
				`rb.yaml:10:16: overrides: unknown value "never" (use forbidden, reason or two-person)`,
			}},
		{"unknown until",
			head + "      - {id: a, title: A, catchup: {from: old, to: new, log_table: l, until: forever}}\n",
			[]string{`rb.yaml:10:78: until: unknown value "forever" (use converged or drained)`}},
		{"missing variable",
			head + "      - {id: a, title: \"${NOPE}\", manual: {}}\n",
			[]string{`rb.yaml:10:24: title: variable NOPE is not set (set it, or write ${NOPE:-default})`}},
		{"bad variable reference",
			head + "      - {id: a, title: \"${1X} and ${OPEN\", manual: {}}\n",
			[]string{
				`rb.yaml:10:24: title: bad variable reference ${1X} (write ${NAME} or ${NAME:-default})`,
				`rb.yaml:10:24: title: unterminated variable reference "${OPEN" (write ${NAME} or ${NAME:-default})`,
			}},
		{"variables in SQL text",
			head + "      - {id: a, title: A, sql: {conn: old, query: \"SELECT * FROM t_${T}\", expect: \"1\"}}\n" +
				"      - {id: b, title: B, sql: {conn: old, exec: \"DELETE FROM t WHERE k = '${NOPE}'\"}}\n" +
				"      - {id: c, title: C, compare: {old: {conn: old, query: \"SELECT ${T}\"}, new: {conn: new, query: q}}}\n" +
				"      - {id: d, title: D, copy: {from: old, to: new, tables: [t], where: \"m = ${T:-1}\"}}\n" +
				"      - {id: e, title: E, verify: {from: old, to: new, tables: [t], where: \"m = ${T}\"}}\n" +
				"      - {id: f, title: F, wait: {check: {sql: {conn: old, query: \"${T}\"}}, for: 1h}}\n" +
				"      - {id: g, title: G, sql: {conn: old, query: \"SELECT '$${T}'\"}}\n", // escaped: no variable
			[]string{
				`rb.yaml:10:51: item "a" sql: query: variables are secrets and would be echoed in SQL errors; put credentials in the connection's dsn`,
				`rb.yaml:11:50: item "b" sql: exec: variables are secrets and would be echoed in SQL errors; put credentials in the connection's dsn`,
				`rb.yaml:12:61: item "c" compare old: query: variables are secrets and would be echoed in SQL errors; put credentials in the connection's dsn`,
				`rb.yaml:13:74: item "d" copy: where: variables are secrets and would be echoed in SQL errors; put credentials in the connection's dsn`,
				`rb.yaml:14:76: item "e" verify: where: variables are secrets and would be echoed in SQL errors; put credentials in the connection's dsn`,
				`rb.yaml:15:66: item "f" wait check sql: query: variables are secrets and would be echoed in SQL errors; put credentials in the connection's dsn`,
			}},
		{"variables in table and column names",
			head + "      - {id: a, title: A, copy: {from: old, to: new, tables: [orders, \"${T}\"]}}\n" +
				"      - {id: b, title: B, catchup: {from: old, to: new, log_table: \"${T:-change_log}\"}}\n" +
				"      - {id: c, title: C, compare: {old: {conn: old, query: q}, new: {conn: new, query: q}, key: [\"${T}\"]}}\n",
			[]string{
				`rb.yaml:10:71: item "a" copy: tables: variables are secrets, and a name is shown in progress, errors and the audit log; write the name itself`,
				`rb.yaml:11:68: item "b" catchup: log_table: variables are secrets, and a name is shown in progress, errors and the audit log; write the name itself`,
				`rb.yaml:12:99: item "c" compare: key: variables are secrets, and a name is shown in progress, errors and the audit log; write the name itself`,
			}},
		{"command variables",
			head + "      - {id: a, title: A, command: {run: \"echo ${NOPE}\"}}\n" +
				"      - {id: b, title: B, command: {run: \"echo ${1X}\"}}\n" +
				"      - {id: c, title: C, command: {run: \"${EMPTY:-}\"}}\n",
			[]string{
				`rb.yaml:10:42: run: variable NOPE is not set (set it, or write ${NOPE:-default})`,
				`rb.yaml:11:42: run: bad variable reference ${1X} (write ${NAME} or ${NAME:-default})`,
			}},
		{"wait check of a forbidden kind",
			head + "      - {id: a, title: A, wait: {check: {manual: {}}, for: 1h}}\n" +
				"      - {id: b, title: B, wait: {check: {copy: {from: old, to: new, tables: [t]}}, for: 1h}}\n" +
				"      - {id: c, title: C, wait: {check: {}, for: 1h}}\n",
			[]string{
				`rb.yaml:10:42: item "a" wait check must be a command, sql, tcp or http check, not manual`,
				`rb.yaml:11:42: item "b" wait check must be a command, sql, tcp or http check, not copy`,
				`rb.yaml:12:41: item "c" wait check has no kind (give it one of command, sql, tcp or http)`,
			}},
		{"wait check nested wait",
			head + "      - {id: a, title: A, wait: {check: {wait: {for: 1h}}, for: 1h}}\n",
			[]string{`rb.yaml:10:42: item "a" wait check must be a command, sql, tcp or http check, not wait`}},
		{"invalid regexes",
			head + "      - {id: a, title: A, command: {run: \"true\", expect_output: \"([\"}}\n" +
				"      - {id: b, title: B, http: {url: \"http://x\", expect_body: \"a(\"}}\n",
			[]string{
				"rb.yaml:10:65: item \"a\" command: expect_output: not a valid regular expression: error parsing regexp: missing closing ]: `[`",
				"rb.yaml:11:64: item \"b\" http: expect_body: not a valid regular expression: error parsing regexp: missing closing ): `a(`",
			}},
		{"bad sql expect",
			head + "      - {id: a, title: A, sql: {conn: old, query: SELECT 1, expect: \">= many\"}}\n" +
				"      - {id: b, title: B, sql: {conn: old, query: SELECT 1, expect: \"!=\"}}\n",
			[]string{
				`rb.yaml:10:69: item "a" sql: expect: ">= many": >= needs a number`,
				`rb.yaml:11:69: item "b" sql: expect: "!=" has no value after !=`,
			}},
		{"good sql expects",
			head + "      - {id: a, title: A, sql: {conn: old, query: q, expect: \"1\"}}\n" +
				"      - {id: b, title: B, sql: {conn: old, query: q, expect: \"= ok\"}}\n" +
				"      - {id: c, title: C, sql: {conn: old, query: q, expect: \"!= 0\"}}\n" +
				"      - {id: d, title: D, sql: {conn: old, query: q, expect: \">= 100\"}}\n" +
				"      - {id: e, title: E, sql: {conn: old, query: q, expect: \"< 2.5\"}}\n" +
				"      - {id: f, title: F, sql: {conn: old, exec: \"DELETE FROM t\"}}\n",
			nil},
		{"sql query and exec",
			head + "      - {id: a, title: A, sql: {conn: old, query: q, exec: e}}\n" +
				"      - {id: b, title: B, sql: {conn: old}}\n",
			[]string{
				`rb.yaml:10:60: item "a" sql: has both query and exec (use one)`,
				`rb.yaml:11:33: item "b" sql: needs query (with expect) or exec`,
			}},
		{"min_match outside 0..1",
			head + "      - {id: a, title: A, verify: {from: old, to: new, tables: [t], min_match: 1.5}}\n" +
				"      - {id: b, title: B, compare: {old: {conn: old, query: q}, new: {conn: new, query: q}, min_match: -0.1}}\n",
			[]string{
				`rb.yaml:10:80: min_match must be between 0 and 1 (or 100%), not 1.5`,
				`rb.yaml:11:104: min_match must be between 0 and 1 (or 100%), not -0.1`,
			}},
		{"sample outside (0,1]",
			head + "      - {id: a, title: A, verify: {from: old, to: new, tables: [t], sample: 0}}\n" +
				"      - {id: b, title: B, verify: {from: old, to: new, tables: [t], sample: 150%}}\n" +
				"      - {id: c, title: C, verify: {from: old, to: new, tables: [t], sample: lots}}\n",
			[]string{
				`rb.yaml:10:77: sample must be above 0 and at most 1 (or 100%), not 0`,
				`rb.yaml:11:77: sample must be above 0 and at most 1 (or 100%), not 150%`,
				`rb.yaml:12:77: sample: "lots" is not a number or a percentage`,
			}},
		{"from equals to",
			head + "      - {id: a, title: A, copy: {from: old, to: old, tables: [t]}}\n" +
				"      - {id: b, title: B, verify: {from: new, to: new, tables: [t]}}\n" +
				"      - {id: c, title: C, catchup: {from: old, to: old, log_table: l}}\n",
			[]string{
				`rb.yaml:10:49: item "a" copy: from and to are the same connection "old"`,
				`rb.yaml:11:51: item "b" verify: from and to are the same connection "new"`,
				`rb.yaml:12:52: item "c" catchup: from and to are the same connection "old"`,
			}},
		{"missing tables and log table",
			head + "      - {id: a, title: A, copy: {from: old, to: new}}\n" +
				"      - {id: b, title: B, catchup: {from: old, to: new}}\n",
			[]string{
				`rb.yaml:10:34: item "a" copy: missing tables`,
				`rb.yaml:11:37: item "b" catchup: missing log_table`,
			}},
		{"values of the wrong shape",
			head + "      - {id: a, title: [A], critical: maybe, retries: -1, manual: {}}\n",
			[]string{
				`rb.yaml:10:24: title must be a single value, not a list`,
				`rb.yaml:10:39: critical must be true or false, not "maybe"`,
				`rb.yaml:10:55: retries must be between 0 and 1000, not -1`,
			}},
		{"not a mapping",
			"- just\n- a list\n",
			[]string{`rb.yaml:1:1: runbook must be a mapping, not a list`}},
		{"empty file",
			"# nothing here\n",
			[]string{`rb.yaml:1:1: runbook is empty`}},
		{"two documents",
			head + "      - {id: a, title: A, manual: {}}\n---\nversion: 1\n",
			[]string{`rb.yaml:12:1: a runbook is one YAML document; another one starts here`}},
		{"unknown alias and merge key",
			head + "      - {id: a, title: *nothing, manual: {}}\n      - <<: {id: b}\n        title: B\n        manual: {}\n",
			[]string{
				`rb.yaml:10:17: item "a": title is empty`,
				`rb.yaml:10:24: unknown alias *nothing`,
				`rb.yaml:11:9: merge keys (<<) are not supported in runbooks`,
				`rb.yaml:11:9: item 2 of phase "p1": missing id`,
			}},
		{"anchors and aliases are followed",
			head + "      - {id: a, title: &t Shared title, manual: &m {role: dba}}\n      - {id: b, title: *t, manual: *m}\n",
			nil},
		{"rollback points are unique",
			strings.Replace(head, "    title: P1\n", "    title: P1\n    rollback_point: here\n", 1) +
				"      - {id: a, title: A, manual: {}}\n  - id: p2\n    title: P2\n    rollback_point: here\n    items:\n      - {id: b, title: B, manual: {}}\n",
			[]string{`rb.yaml:14:21: duplicate rollback point "here" (first at 9:21)`}},
		{"bad tcp and http",
			head + "      - {id: a, title: A, tcp: {address: db}}\n" +
				"      - {id: b, title: B, tcp: {address: \"db:99999\"}}\n" +
				"      - {id: c, title: C, http: {url: \"ftp://x\", expect_status: 99, method: FETCH}}\n",
			[]string{
				`rb.yaml:10:42: item "a" tcp: address must be host:port`,
				`rb.yaml:11:42: item "b" tcp: address port 99999 is out of range`,
				`rb.yaml:12:39: item "c" http: url must be an http:// or https:// address with a host`,
				`rb.yaml:12:65: expect_status must be between 100 and 599, not 99`,
				`rb.yaml:12:77: item "c" http: method: unknown value "FETCH" (use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS)`,
			}},
		{"wait durations",
			head + "      - {id: a, title: A, wait: {check: {tcp: {address: \"db:1\"}}, every: 2h, for: 1h}}\n" +
				"      - {id: b, title: B, wait: {check: {tcp: {address: \"db:1\"}}, every: 0s}}\n",
			[]string{
				`rb.yaml:10:74: item "a" wait: every (2h) is longer than for (1h)`,
				`rb.yaml:11:34: item "b" wait: missing for (how long to keep checking)`,
				`rb.yaml:11:74: item "b" wait: every must be longer than 0`,
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := problemsOf(t, c.text, nil)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}
