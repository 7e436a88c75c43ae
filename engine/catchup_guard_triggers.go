package engine

import (
	"context"
	"fmt"
	"strings"
)

// triggersWhole checks that every table logged by runway's triggers still
// fires the three of them into the log, and that no trigger logging a
// replayed table fires on another one (a table swapped by RENAME keeps its
// triggers). It returns the tables so logged.
// Tables left out of this catch-up, and tables dropped since (gone), are
// not held to it.
func (c *catchup) triggersWhole(logged []string, gone map[string]bool, trs []logTrigger) ([]string, error) {
	for _, name := range logged {
		if !c.wanted(name) || gone[name] {
			continue
		}
		if err := c.triggersOn(name, trs); err != nil {
			return nil, err
		}
	}
	for _, tr := range trs {
		name, ok := misplaced(tr)
		if ok && c.wanted(name) {
			return nil, c.lostTriggers(name, fmt.Sprintf("its trigger %s fires on %s instead (swapped by an online schema change?)", tr.name, tr.table))
		}
	}
	return logged, nil
}

// loggedByTriggers lists the tables whose changes reach the log through
// runway's triggers: those a check, in this run or one before it, found
// with one of them (on it, or moved elsewhere). A log the application
// fills itself has none, and its tables are not watched for them.
func (c *catchup) loggedByTriggers(tables []*catchupTable, trs []logTrigger) []string {
	out := append([]string{}, c.state.tables.Logged...)
	known := map[string]bool{}
	for _, name := range out {
		known[strings.ToLower(name)] = true
	}
	for _, t := range tables {
		if !known[strings.ToLower(t.st.Name)] && hasTriggers(t.st.Name, trs) {
			out = append(out, t.st.Name)
		}
	}
	return out
}

// hasTriggers tells whether one of runway's triggers for table exists,
// on it or on another table.
func hasTriggers(table string, trs []logTrigger) bool {
	for _, ev := range triggerEvents {
		if on, elsewhere := whereIs(triggerName(table, ev.suffix), table, trs); on || elsewhere != "" {
			return true
		}
	}
	return false
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
	return repairFirst(table, fmt.Errorf("catch-up %s: table %s in %s does not log its changes: %s; changes without it are missing from the log: remove and install runway's triggers on %s again, repair %s with verify, then run the catch-up again",
		c.opts.LogTable, table, c.src, what, table, table))
}

// droppedOf lists the tables of names, among those this catch-up replays,
// that the source no longer has.
func (c *catchup) droppedOf(ctx context.Context, names []string) (map[string]bool, error) {
	gone := map[string]bool{}
	for _, name := range names {
		if !c.wanted(name) {
			continue
		}
		exists, err := c.src.Exists(ctx, name)
		if err != nil {
			return nil, err
		}
		gone[name] = !exists
	}
	return gone, nil
}
