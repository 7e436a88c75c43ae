package runbook

import (
	"fmt"
	"sort"
)

var (
	guardKinds     = []string{"sql", "http", "tcp", "command", "prom"} // read-only checks
	guardFields    = append([]string{"id", "title", "every", "for", "warn", "critical"}, kinds...)
	guardTrends    = []string{TrendValue, TrendRate, TrendDelta}
	conditionGroup = []string{"all", "any"}
)

// guards decodes a guards: list, of the runbook (phase "") or of a phase.
func (d *decoder) guards(v kv, phase string) []Guard {
	var out []Guard
	for i, e := range d.list(v) {
		what := fmt.Sprintf("guard %d", i+1)
		if phase != "" {
			what += fmt.Sprintf(" of phase %q", phase)
		}
		f := d.fields(e, what, guardFields...)
		if f == nil {
			continue
		}
		g := Guard{Phase: phase, Pos: f.at}
		if g.ID = d.identifier(f, "id", what); g.ID != "" {
			g.Pos = f.get("id").pos()
			what = fmt.Sprintf("guard %q", g.ID)
		}
		g.Title = d.required(f, "title", what)
		g.Check = d.guardCheck(f, what)
		g.Every = d.duration(f, "every", DefaultGuardEvery)
		if g.Every < MinGuardEvery {
			d.problem(f.get("every").pos(), "%s: every must be at least %s", what, MinGuardEvery)
		}
		g.For = d.integer(f, "for", 1, 1, 1000)
		g.Warn = d.condition(f.get("warn"), what+" warn", 0)
		g.Critical = d.condition(f.get("critical"), what+" critical", 0)
		if !f.has("warn") && !f.has("critical") {
			d.problem(f.at, "%s: needs warn or critical (a threshold such as \"> 0.05\")", what)
		}
		d.guardWindows(f, g, what)
		out = append(out, g)
	}
	return out
}

// guardCheck decodes the guard's one kind, which must be read-only.
func (d *decoder) guardCheck(f *fieldset, what string) Spec {
	var present []string
	for _, k := range kinds {
		if f.has(k) {
			present = append(present, k)
		}
	}
	sort.SliceStable(present, func(i, j int) bool { return posLess(posOf(f.get(present[i]).key), posOf(f.get(present[j]).key)) })
	if len(present) == 0 {
		d.problem(f.at, "%s has no check (give it one of %s)", what, orList(guardKinds))
		return Spec{}
	}
	for _, k := range present[1:] {
		d.problem(posOf(f.get(k).key), "%s has two checks, %s and %s (a guard watches one value)", what, present[0], k)
	}
	k, v := present[0], f.get(present[0])
	if !contains(guardKinds, k) {
		d.problem(posOf(v.key), "%s: a guard's check is %s (read-only), not %s", what, orList(guardKinds), k)
		return Spec{}
	}
	what += " " + k
	switch k {
	case "sql":
		return Spec{SQL: d.guardSQL(v, what)}
	case "prom":
		pf := d.fields(v, what, "url", "query")
		p := &Prom{URL: d.required(pf, "url", what), Query: d.required(pf, "query", what)}
		d.httpURL(pf, p.URL, what)
		return Spec{Prom: p}
	case "command":
		cf := d.fields(v, what, "run", "expect_exit")
		c := &Command{ExpectExit: d.integer(cf, "expect_exit", 0, 0, 255)}
		c.Run, c.Env = d.shellRun(cf, what)
		if cf != nil && !cf.has("run") {
			d.problem(cf.at, "%s: missing run", what)
		}
		return Spec{Command: c}
	case "http":
		hf := d.fields(v, what, "url", "method", "expect_status")
		h := &HTTP{URL: d.required(hf, "url", what), Method: "GET", ExpectStatus: d.integer(hf, "expect_status", 200, 100, 599)}
		d.httpURL(hf, h.URL, what)
		h.Method = d.enum(hf, "method", "GET", "GET", "HEAD")
		return Spec{HTTP: h}
	}
	return d.kind(k, v, what) // tcp
}

// guardSQL decodes a guard's sql: a query only, never exec.
func (d *decoder) guardSQL(v kv, what string) *SQL {
	f := d.fields(v, what, "conn", "query", "expect", "exec")
	s := &SQL{Conn: d.conn(f, "conn", what), Query: d.sqlText(f, "query", what, false)}
	if f == nil {
		return s
	}
	if f.has("exec") {
		d.problem(f.get("exec").pos(), "%s: a guard never writes: exec is refused (use query)", what)
	}
	if f.has("expect") {
		d.problem(f.get("expect").pos(), "%s: a guard's thresholds are warn and critical, not expect", what)
	}
	if !f.has("query") && !f.has("exec") {
		d.problem(f.at, "%s: needs query", what)
	}
	return s
}

// httpURL checks an http(s) address with a host; its text is never quoted.
func (d *decoder) httpURL(f *fieldset, u, what string) {
	if u == "" || f == nil {
		return
	}
	if !validHTTPURL(u) {
		d.problem(f.get("url").pos(), "%s: url must be an http:// or https:// address with a host", what)
	}
}

// guardWindows checks that every trend window holds two samples at least.
func (d *decoder) guardWindows(f *fieldset, g Guard, what string) {
	for _, c := range []*GuardCondition{g.Warn, g.Critical} {
		if c == nil {
			continue
		}
		if w := minWindow(*c); w > 0 && w <= g.Every {
			d.problem(f.get("every").pos(), "%s: a trend window (%s) must be longer than every (%s)", what, w, g.Every)
			return
		}
	}
}

// minWindow is the shortest trend window in c (0 when none).
func minWindow(c GuardCondition) Duration {
	w := c.Window
	for _, sub := range append(append([]GuardCondition(nil), c.All...), c.Any...) {
		if m := minWindow(sub); m > 0 && (w == 0 || m < w) {
			w = m
		}
	}
	return w
}

// uniqueGuards reports a guard id used twice anywhere in the runbook.
func (d *decoder) uniqueGuards(rb *Runbook) {
	seen := map[string]Position{}
	for _, g := range rb.AllGuards() {
		if g.ID != "" {
			d.unique(seen, "guard id", g.ID, g.Pos)
		}
	}
}

func posLess(a, b Position) bool { return a.Line < b.Line || a.Line == b.Line && a.Column < b.Column }
