package runbook

import (
	"fmt"
	"strings"
)

// Catch-up end conditions.
const (
	UntilConverged = "converged" // the lag stays under max_lag for converge_for
	UntilDrained   = "drained"   // every change logged so far is applied (old side read-only)
)

func (d *decoder) compare(v kv, what string) *Compare {
	f := d.fields(v, what, "old", "new", "key", "min_match", "critical_below")
	c := &Compare{}
	if f == nil {
		return c
	}
	for _, side := range []struct {
		name string
		q    *Query
	}{{"old", &c.Old}, {"new", &c.New}} {
		sv := f.get(side.name)
		if !sv.present() {
			d.problem(f.at, "%s: missing %s (conn and query)", what, side.name)
			continue
		}
		sw := fmt.Sprintf("%s %s", what, side.name)
		sf := d.fields(sv, sw, "conn", "query")
		*side.q = Query{Conn: d.conn(sf, "conn", sw), Query: d.sqlText(sf, "query", sw, true)}
	}
	c.Key = d.identifiers(f, "key", what)
	c.MinMatch = d.ratio(f, "min_match", 1, false)
	c.CriticalBelow = d.ratio(f, "critical_below", 0, false)
	if c.CriticalBelow > c.MinMatch {
		d.problem(f.get("critical_below").pos(), "%s: critical_below (%g) is above min_match (%g)", what, c.CriticalBelow, c.MinMatch)
	}
	return c
}

func (d *decoder) copy(v kv, what string) *Copy {
	f := d.fields(v, what, "from", "to", "tables", "where", "rate", "create", "allow_target_triggers")
	c := &Copy{}
	c.From, c.To = d.fromTo(f, what)
	c.Tables = d.tables(f, what, true)
	c.Where = d.sqlText(f, "where", what, false)
	c.Rate = d.integer(f, "rate", 0, 0, 1<<40)
	c.Create = d.boolean(f, "create")
	c.AllowTargetTriggers = d.boolean(f, "allow_target_triggers")
	return c
}

func (d *decoder) verify(v kv, what string) *Verify {
	f := d.fields(v, what, "from", "to", "tables", "where", "sample", "repair", "min_match", "allow_target_triggers")
	c := &Verify{}
	c.From, c.To = d.fromTo(f, what)
	c.Tables = d.tables(f, what, true)
	c.Where = d.sqlText(f, "where", what, false)
	c.Sample = d.ratio(f, "sample", 0, true)
	c.Repair = d.boolean(f, "repair")
	c.MinMatch = d.ratio(f, "min_match", 1, false)
	c.AllowTargetTriggers = d.boolean(f, "allow_target_triggers")
	return c
}

func (d *decoder) catchup(v kv, what string) *Catchup {
	f := d.fields(v, what, "from", "to", "log_table", "tables", "until", "max_lag",
		"converge_for", "install_triggers", "remove_triggers", "rate", "allow_target_triggers")
	c := &Catchup{}
	c.From, c.To = d.fromTo(f, what)
	c.LogTable = d.identifier(f, "log_table", what)
	c.Tables = d.tables(f, what, false)
	c.Until = d.enum(f, "until", UntilConverged, UntilConverged, UntilDrained)
	c.MaxLag = d.duration(f, "max_lag", 0)
	c.ConvergeFor = d.duration(f, "converge_for", DefaultConvergeFor)
	c.InstallTriggers = d.boolean(f, "install_triggers")
	c.RemoveTriggers = d.boolean(f, "remove_triggers")
	if c.InstallTriggers && c.RemoveTriggers {
		d.problem(f.get("remove_triggers").pos(), "%s: install_triggers and remove_triggers cannot both be set", what)
	}
	c.Rate = d.integer(f, "rate", 0, 0, 1<<40)
	c.AllowTargetTriggers = d.boolean(f, "allow_target_triggers")
	return c
}

// fromTo reads an engine's two connections, which must differ.
func (d *decoder) fromTo(f *fieldset, what string) (from, to string) {
	from, to = d.conn(f, "from", what), d.conn(f, "to", what)
	if from != "" && from == to {
		d.problem(f.get("to").pos(), "%s: from and to are the same connection %q", what, to)
	}
	return from, to
}

// tables reads the table list, which must not repeat a table.
func (d *decoder) tables(f *fieldset, what string, required bool) []string {
	v := f.get("tables")
	if f != nil && required && !v.present() {
		d.problem(f.at, "%s: missing tables", what)
	}
	listed := d.identifiers(f, "tables", what)
	if v.present() && len(listed) == 0 && (v.val == nil || isSequence(v.val)) {
		d.problem(v.pos(), "%s: tables is empty", what)
	}
	// Names are trimmed (" b" is b, as the engines take it) before
	// repeats are looked for, and a repeat is listed once.
	var out []string
	seen := map[string]bool{}
	for _, t := range listed {
		t = strings.TrimSpace(t)
		if seen[t] {
			d.problem(v.pos(), "%s: table %q is listed twice", what, t)
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}
