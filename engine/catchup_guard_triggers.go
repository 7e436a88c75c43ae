package engine

import (
	"fmt"
	"strings"
)

// triggersWhole checks that every replayed table still fires runway's three
// triggers into the log, and that no trigger logging a replayed table fires
// on another one (a table swapped by RENAME keeps its triggers).
func (c *catchup) triggersWhole(tables []*catchupTable, trs []logTrigger) error {
	for _, t := range tables {
		if !c.loggedByTriggers(t.st.Name, trs) {
			continue
		}
		if err := c.triggersOn(t.st.Name, trs); err != nil {
			return err
		}
	}
	for _, tr := range trs {
		logged, ok := misplaced(tr)
		if ok && c.wanted(logged) {
			return c.lostTriggers(logged, fmt.Sprintf("its trigger %s fires on %s instead (swapped by an online schema change?)", tr.name, tr.table))
		}
	}
	return nil
}

// loggedByTriggers tells whether table's changes reach the log through
// runway's triggers: it had one of them, on it or moved elsewhere, when the
// catch-up first checked it.
func (c *catchup) loggedByTriggers(table string, trs []logTrigger) bool {
	g := &c.guard
	if g.triggered == nil {
		g.triggered = map[string]bool{}
	}
	k := strings.ToLower(table)
	if had, ok := g.triggered[k]; ok {
		return had
	}
	had := false
	for _, ev := range triggerEvents {
		on, elsewhere := whereIs(triggerName(table, ev.suffix), table, trs)
		had = had || on || elsewhere != ""
	}
	g.triggered[k] = had
	return had
}

// triggersOn checks the three triggers of table.
func (c *catchup) triggersOn(table string, trs []logTrigger) error {
	for _, ev := range triggerEvents {
		name := triggerName(table, ev.suffix)
		on, elsewhere := whereIs(name, table, trs)
		switch {
		case on:
		case elsewhere != "":
			return c.lostTriggers(table, fmt.Sprintf("its trigger %s is on %s now (swapped by an online schema change?)", name, elsewhere))
		default:
			return c.lostTriggers(table, fmt.Sprintf("its trigger %s is missing (dropped, or never installed?)", name))
		}
	}
	return nil
}

// whereIs tells whether the trigger name fires on table, and else on which
// table it does ("" when on none). PostgreSQL names triggers per table, so
// one name may be on both.
func whereIs(name, table string, trs []logTrigger) (on bool, elsewhere string) {
	for _, tr := range trs {
		switch {
		case !strings.EqualFold(tr.name, name):
		case strings.EqualFold(tr.table, table):
			return true, ""
		default:
			elsewhere = tr.table
		}
	}
	return false, elsewhere
}

// misplaced tells, for a trigger that fires on another table than its name
// says, which table it logs (runway_<table>_<event>).
func misplaced(tr logTrigger) (string, bool) {
	for _, ev := range triggerEvents {
		if strings.EqualFold(tr.name, triggerName(tr.table, ev.suffix)) {
			return "", false
		}
	}
	name := strings.TrimPrefix(tr.name, "runway_")
	if i := strings.LastIndexByte(name, '_'); i > 0 {
		name = name[:i]
	}
	return name, true
}

// lostTriggers is the error of a table whose changes are no longer logged.
func (c *catchup) lostTriggers(table, what string) error {
	return fmt.Errorf("catch-up %s: table %s in %s does not log its changes: %s; changes without it are missing from the log: remove and install runway's triggers on %s again, repair %s with verify, then run the catch-up again",
		c.opts.LogTable, table, c.src, what, table, table)
}
