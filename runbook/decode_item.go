package runbook

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

var (
	kinds       = []string{"manual", "command", "sql", "tcp", "http", "wait", "compare", "copy", "verify", "catchup", "notify", "prom"}
	checkKinds  = []string{"command", "sql", "tcp", "http"} // what a wait may repeat
	itemFields  = append([]string{"id", "title", "critical", "role", "instructions", "timeout", "retries", "retry_delay", "expected"}, kinds...)
	httpMethods = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
)

// Defaults the format promises.
const (
	DefaultWaitEvery   = Duration(30 * time.Second)
	DefaultConvergeFor = Duration(30 * time.Second)
)

// items decodes a phase's checklist items or its rollback steps (whose id
// is optional: "<phase>-rollback-N").
func (d *decoder) items(v kv, rollback bool) []Item {
	var out []Item
	for i, e := range d.list(v) {
		what := fmt.Sprintf("item %d of phase %q", i+1, d.curPhase)
		if rollback {
			what = fmt.Sprintf("rollback step %d of phase %q", i+1, d.curPhase)
		}
		f := d.fields(e, what, itemFields...)
		if f == nil {
			continue
		}
		it := Item{Pos: f.at}
		if rollback && !f.has("id") {
			it.ID = fmt.Sprintf("%s-rollback-%d", d.curPhase, i+1)
			d.unique(d.itemIDs, "item id", it.ID, f.at)
		} else if it.ID = d.identifier(f, "id", what); it.ID != "" {
			d.unique(d.itemIDs, "item id", it.ID, f.get("id").pos())
		}
		if it.ID != "" {
			what = fmt.Sprintf("item %q", it.ID)
		}
		it.Title = d.required(f, "title", what)
		it.Critical = d.boolean(f, "critical")
		it.Role = d.str(f, "role")
		it.Instructions = d.str(f, "instructions")
		it.Timeout = d.duration(f, "timeout", 0)
		it.Retries = d.integer(f, "retries", 0, 0, 1000)
		it.RetryDelay = d.duration(f, "retry_delay", 0)
		it.Expected = d.expected(f)
		it.Spec = d.oneKind(f, what, kinds)
		if it.Manual != nil && it.Manual.Role == "" {
			it.Manual.Role = it.Role
		}
		out = append(out, it)
	}
	return out
}

// oneKind decodes the single kind among f's fields; zero or several kinds
// are problems (each extra kind is still checked, so all its problems show).
func (d *decoder) oneKind(f *fieldset, what string, allowed []string) Spec {
	if f == nil {
		return Spec{}
	}
	var present []string
	for _, k := range kinds {
		if f.has(k) {
			present = append(present, k)
		}
	}
	sort.SliceStable(present, func(i, j int) bool {
		a, b := posOf(f.get(present[i]).key), posOf(f.get(present[j]).key)
		return a.Line < b.Line || a.Line == b.Line && a.Column < b.Column
	})
	if len(present) == 0 {
		d.problem(f.at, "%s has no kind (give it one of %s)", what, orList(allowed))
		return Spec{}
	}
	var first Spec
	for i, k := range present {
		at := posOf(f.get(k).key)
		if !contains(allowed, k) {
			d.problem(at, "%s must be a %s check, not %s", what, orList(allowed), k)
			continue
		}
		if i > 0 {
			d.problem(at, "%s has two kinds, %s and %s (an item does exactly one thing)", what, present[0], k)
		}
		s := d.kind(k, f.get(k), what+" "+k)
		if i == 0 {
			first = s
		}
	}
	return first
}

// kind decodes one kind's fields.
func (d *decoder) kind(k string, v kv, what string) Spec {
	switch k {
	case "manual":
		f := d.fields(v, what, "role", "expect", "observe")
		return Spec{Manual: &Manual{Role: d.str(f, "role"), Expect: d.str(f, "expect"), Observe: d.boolean(f, "observe")}}
	case "command":
		f := d.fields(v, what, "run", "expect_exit", "expect_output")
		c := &Command{ExpectExit: d.integer(f, "expect_exit", 0, 0, 255)}
		c.Run, c.Env = d.shellRun(f, what)
		c.ExpectOutput = d.regex(f, "expect_output", what)
		return Spec{Command: c}
	case "sql":
		return Spec{SQL: d.sql(v, what)}
	case "tcp":
		f := d.fields(v, what, "address")
		t := &TCP{Address: d.required(f, "address", what)}
		if t.Address != "" {
			if err := checkAddress(t.Address); err != nil {
				d.problem(f.get("address").pos(), "%s: address %v", what, err)
			}
		}
		return Spec{TCP: t}
	case "http":
		return Spec{HTTP: d.http(v, what)}
	case "wait":
		return Spec{Wait: d.wait(v, what)}
	case "compare":
		return Spec{Compare: d.compare(v, what)}
	case "copy":
		return Spec{Copy: d.copy(v, what)}
	case "verify":
		return Spec{Verify: d.verify(v, what)}
	case "catchup":
		return Spec{Catchup: d.catchup(v, what)}
	case "notify":
		return Spec{Notify: d.notifyItem(v, what)}
	case "prom":
		return Spec{Prom: d.prom(v, what)}
	}
	return Spec{}
}

func (d *decoder) sql(v kv, what string) *SQL {
	f := d.fields(v, what, "conn", "query", "expect", "exec")
	s := &SQL{Conn: d.conn(f, "conn", what), Query: d.sqlText(f, "query", what, false), Expect: d.str(f, "expect"), Exec: d.sqlText(f, "exec", what, false)}
	if f == nil {
		return s
	}
	switch {
	case !f.has("query") && !f.has("exec"):
		d.problem(f.at, "%s: needs query (with expect) or exec", what)
	case f.has("query") && f.has("exec"):
		d.problem(f.get("exec").pos(), "%s: has both query and exec (use one)", what)
	case f.has("exec") && f.has("expect"):
		d.problem(f.get("expect").pos(), "%s: expect applies to a query, not to exec", what)
	}
	for _, name := range []string{"query", "exec"} {
		if v := f.get(name); v.present() && !hasRefs(v) && strings.TrimSpace(d.strQuiet(v)) == "" {
			d.problem(v.pos(), "%s: %s is empty", what, name)
		}
	}
	if v := f.get("expect"); v.present() {
		if err := checkExpect(s.Expect); err != nil {
			d.problem(v.pos(), "%s: expect: %v", what, err)
		}
	}
	return s
}

func (d *decoder) http(v kv, what string) *HTTP {
	f := d.fields(v, what, "url", "method", "expect_status", "expect_body")
	h := &HTTP{URL: d.required(f, "url", what), ExpectStatus: d.integer(f, "expect_status", 200, 100, 599)}
	if h.URL != "" {
		if u, err := url.Parse(h.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			d.problem(f.get("url").pos(), "%s: url must be an http:// or https:// address with a host", what)
		}
	}
	h.Method = "GET"
	if m, ok := d.scalar(f.get("method")); ok {
		h.Method = strings.ToUpper(strings.TrimSpace(m))
		if !contains(httpMethods, h.Method) {
			d.problem(f.get("method").pos(), "%s: method: unknown value %q (use %s)", what, m, orList(httpMethods))
		}
	}
	h.ExpectBody = d.regex(f, "expect_body", what)
	return h
}

func (d *decoder) wait(v kv, what string) *Wait {
	f := d.fields(v, what, "check", "every", "for", "max_failures", "max_failure_ratio")
	w := &Wait{}
	if f == nil {
		return w
	}
	if check := f.get("check"); check.present() {
		cf := d.fields(check, what+" check", kinds...)
		w.Check = d.oneKind(cf, what+" check", checkKinds)
	} else {
		d.problem(f.at, "%s: missing check (one of %s)", what, orList(checkKinds))
	}
	w.Every = d.duration(f, "every", DefaultWaitEvery)
	if w.Every <= 0 {
		d.problem(f.get("every").pos(), "%s: every must be longer than 0", what)
	}
	if !f.has("for") {
		d.problem(f.at, "%s: missing for (how long to keep checking)", what)
	}
	w.For = d.duration(f, "for", 0)
	if f.has("for") && w.For <= 0 {
		d.problem(f.get("for").pos(), "%s: for must be longer than 0", what)
	}
	if w.For > 0 && w.Every > w.For {
		d.problem(f.get("every").pos(), "%s: every (%s) is longer than for (%s)", what, w.Every, w.For)
	}
	w.MaxFailures = d.integer(f, "max_failures", 0, 0, 1_000_000)
	w.MaxFailureRatio = d.ratio(f, "max_failure_ratio", 0, false)
	return w
}

// conn reads a required connection name and checks it is defined.
func (d *decoder) conn(f *fieldset, name, what string) string {
	s := d.required(f, name, what)
	if s == "" {
		return s
	}
	if _, ok := d.conns[s]; !ok {
		known := "no connections are defined"
		if len(d.connOrder) > 0 {
			known = "connections: " + strings.Join(d.connOrder, ", ")
		}
		d.problem(f.get(name).pos(), "%s: unknown connection %q (%s)", what, s, known)
	}
	return s
}

// regex reads a regular expression, checking it compiles.
func (d *decoder) regex(f *fieldset, name, what string) string {
	s := d.str(f, name)
	if err := checkRegex(s); err != nil {
		if hasRefs(f.get(name)) { // the parser quotes a piece of the value: maybe of a secret
			err = errors.New("not a valid regular expression")
		}
		d.problem(f.get(name).pos(), "%s: %s: %v", what, name, err)
	}
	return s
}

// strQuiet is a scalar's expanded text without reporting anything twice.
func (d *decoder) strQuiet(v kv) string {
	if v.val == nil || !isScalar(v.val) {
		return ""
	}
	return expand(nodeText(v.val), d.env).text
}

// checkAddress accepts host:port with a numeric or named port.
func checkAddress(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("must be host:port")
	}
	if port == "" {
		return fmt.Errorf("has no port")
	}
	if n, err := strconv.Atoi(port); err == nil && (n < 1 || n > 65535) {
		return fmt.Errorf("port %d is out of range", n)
	}
	return nil
}
