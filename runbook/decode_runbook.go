package runbook

import (
	"fmt"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

var (
	runbookFields   = []string{"version", "name", "title", "owner", "connections", "risks", "procedures", "phases", "notify", "guards", "window", "drift_tolerance"}
	connFields      = []string{"driver", "dsn"}
	riskFields      = []string{"id", "name", "description", "probability", "impact", "mitigation"}
	procedureFields = []string{"title", "escalate_after", "steps"}
	phaseFields     = []string{"id", "title", "description", "risk", "expected", "overrides", "items", "rollback", "rollback_point", "guards"}
	levels          = []string{string(Low), string(Medium), string(High)}
	overridePolicy  = []string{string(OverrideForbidden), string(OverrideReason), string(OverrideTwoPerson)}
)

// document decodes the single YAML document of a runbook.
func (d *decoder) document(f *ast.File, rb *Runbook) {
	var docs []*ast.DocumentNode
	for _, doc := range f.Docs {
		if doc != nil && doc.Body != nil {
			if _, comment := doc.Body.(*ast.CommentGroupNode); !comment {
				docs = append(docs, doc)
			}
		}
	}
	if len(docs) == 0 {
		d.problem(Position{1, 1}, "runbook is empty")
		return
	}
	if len(docs) > 1 {
		d.problem(posOf(docs[1]), "a runbook is one YAML document; another one starts here")
	}
	body := docs[0].Body
	d.collectAliases(body, map[string]ast.Node{})
	top := d.fields(kv{name: "runbook", key: body, val: d.resolve(body)}, "runbook", runbookFields...)
	if top == nil {
		return
	}
	d.version(top, rb)
	rb.Name = d.identifier(top, "name", "runbook")
	rb.Title = d.str(top, "title")
	rb.Owner = d.str(top, "owner")
	// Connections first, wherever they are written: items refer to them.
	rb.Connections = d.connections(top.get("connections"))
	rb.Risks = d.risks(top.get("risks"))
	rb.Procedures = d.procedures(top.get("procedures"))
	rb.Notify = d.notify(top.get("notify")) // before the phases: notify items name its channels
	rb.Phases = d.phases(top)
	rb.Guards = d.guards(top.get("guards"), "") // decode_guard.go
	d.uniqueGuards(rb)
	rb.Plan = d.plan(top) // decode_window.go
}

func (d *decoder) version(top *fieldset, rb *Runbook) {
	v := top.get("version")
	if !v.present() {
		d.problem(top.at, "runbook: missing version (write version: 1)")
		return
	}
	s, ok := d.scalar(v)
	if !ok || strings.TrimSpace(s) != "1" {
		d.problem(v.pos(), "unsupported version %q (this runway reads version 1)", s)
		return
	}
	rb.Version = 1
}

func (d *decoder) connections(v kv) []Connection {
	var out []Connection
	for _, e := range d.entries(v, "connection") {
		what := fmt.Sprintf("connection %q", e.name)
		d.conns[e.name] = "" // known even when broken, so items don't also report it
		d.connOrder = append(d.connOrder, e.name)
		if strings.TrimSpace(e.name) == "" {
			d.problem(posOf(e.key), "a connection name is empty")
		}
		f := d.fields(e.kv, what, connFields...)
		if f == nil {
			continue
		}
		c := Connection{Name: e.name}
		if !f.has("driver") {
			d.problem(f.at, "%s: missing driver (use %s)", what, orList(drivers))
		}
		c.Driver = d.enum(f, "driver", "", drivers...)
		d.conns[e.name] = c.Driver
		c.DSN = d.required(f, "dsn", what)
		if c.DSN != "" {
			c.DSN = d.checkDSN(e.name, c.Driver, f.get("dsn"), c.DSN)
		}
		out = append(out, c)
	}
	return out
}

func (d *decoder) risks(v kv) []Risk {
	var out []Risk
	seen := map[string]Position{}
	for i, e := range d.list(v) {
		what := fmt.Sprintf("risk %d", i+1)
		f := d.fields(e, what, riskFields...)
		if f == nil {
			continue
		}
		r := Risk{ID: d.required(f, "id", what)}
		if r.ID != "" {
			d.unique(seen, "risk id", r.ID, f.get("id").pos())
			what = fmt.Sprintf("risk %s", r.ID)
		}
		r.Name = d.required(f, "name", what)
		r.Description = d.str(f, "description")
		r.Mitigation = d.str(f, "mitigation")
		for _, name := range []string{"probability", "impact"} {
			if !f.has(name) {
				d.problem(f.at, "%s: missing %s (use %s)", what, name, orList(levels))
			}
		}
		r.Probability = Level(d.enum(f, "probability", "", levels...))
		r.Impact = Level(d.enum(f, "impact", "", levels...))
		out = append(out, r)
	}
	return out
}

func (d *decoder) procedures(v kv) []Procedure {
	var out []Procedure
	for _, e := range d.entries(v, "procedure") {
		what := fmt.Sprintf("procedure %q", e.name)
		f := d.fields(e.kv, what, procedureFields...)
		if f == nil {
			continue
		}
		p := Procedure{ID: e.name, Title: d.str(f, "title")}
		p.EscalateAfter = d.duration(f, "escalate_after", 0)
		p.Steps = d.strings(f, "steps")
		if len(p.Steps) == 0 && f.get("steps").val == nil {
			d.problem(f.at, "%s: no steps", what)
		}
		out = append(out, p)
	}
	return out
}

func (d *decoder) phases(top *fieldset) []Phase {
	v := top.get("phases")
	list := d.list(v)
	switch {
	case !v.present():
		d.problem(top.at, "runbook: missing phases")
	case len(list) == 0 && (v.val == nil || isSequence(v.val)):
		d.problem(v.pos(), "runbook: no phases")
	}
	seen := map[string]Position{}
	var out []Phase
	for i, e := range list {
		what := fmt.Sprintf("phase %d", i+1)
		f := d.fields(e, what, phaseFields...)
		if f == nil {
			continue
		}
		p := Phase{ID: d.identifier(f, "id", what)}
		if p.ID != "" {
			d.unique(seen, "phase id", p.ID, f.get("id").pos())
			what = fmt.Sprintf("phase %q", p.ID)
		}
		d.curPhase = p.ID
		p.Title = d.required(f, "title", what)
		p.Description = d.str(f, "description")
		p.Risk = Level(d.enum(f, "risk", "", levels...))
		p.Expected = d.expected(f)
		p.Overrides = OverridePolicy(d.enum(f, "overrides", string(OverrideReason), overridePolicy...))
		items := f.get("items")
		p.Items = d.items(items, false)
		switch {
		case !items.present():
			d.problem(f.at, "%s: missing items", what)
		case len(p.Items) == 0 && (items.val == nil || isSequence(items.val)):
			d.problem(items.pos(), "%s: no items", what)
		}
		p.Rollback = d.items(f.get("rollback"), true)
		p.Guards = d.guards(f.get("guards"), p.ID) // decode_guard.go
		if rp := f.get("rollback_point"); rp.present() {
			p.RollbackPoint = d.identifier(f, "rollback_point", what)
			if p.RollbackPoint != "" {
				d.unique(d.points, "rollback point", p.RollbackPoint, rp.pos())
			}
		}
		out = append(out, p)
	}
	return out
}

// unique records id at pos, reporting it when it was seen before.
func (d *decoder) unique(seen map[string]Position, what, id string, pos Position) bool {
	if first, dup := seen[id]; dup {
		d.problem(pos, "duplicate %s %q (first at %d:%d)", what, id, first.Line, first.Column)
		return false
	}
	seen[id] = pos
	return true
}

func isSequence(n ast.Node) bool {
	_, ok := n.(*ast.SequenceNode)
	return ok
}
