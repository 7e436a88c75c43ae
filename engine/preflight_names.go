package engine

import (
	"context"
	"sort"
	"strings"
)

// CleanTables trims every name of a table list, drops empty entries and
// repeats of the same name, and keeps the order: "a, b,a" is [a b]. Names
// that differ in case stay apart: they are different MySQL tables.
func CleanTables(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, raw := range in {
		for _, name := range strings.Split(raw, ",") {
			name = strings.TrimSpace(name)
			if name == "" || seen[name] {
				continue
			}
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}

// maxMySQLName is the longest table or column name MySQL accepts.
const maxMySQLName = 64

// targetNames knows how the target spells and compares table names.
type targetNames struct {
	dst      *DB
	foldCase string // why two names differing in case are one table there; "" when they are not
}

func newTargetNames(ctx context.Context, dst *DB) (*targetNames, error) {
	n := &targetNames{dst: dst}
	why, err := dst.dialect.foldsCase(ctx, dst)
	if err != nil {
		return nil, err
	}
	n.foldCase = why
	return n, nil
}

// check adds the problems of names that cannot be target tables as they
// are: two that would be one table, one too long or reserved, runway's own.
func (n *targetNames) check(p *Plan) {
	n.collisions(p)
	for _, tp := range p.Tables {
		if !tp.Found {
			continue
		}
		low := strings.ToLower(tp.Name)
		if low == CheckpointTable || low == CatchupTable || low == StorageTable {
			p.problem(tp.Name, "", "%s is runway's own bookkeeping table: it cannot be an engine's table", tp.Name)
		}
		if tp.Exists {
			continue // the target has it already: its name fits
		}
		n.creatable(p, tp)
	}
}

// collisions reports source tables that would land in one target table.
func (n *targetNames) collisions(p *Plan) {
	if n.foldCase == "" {
		return
	}
	groups := map[string][]string{}
	var order []string
	for _, tp := range p.Tables {
		if !tp.Found {
			continue
		}
		k := strings.ToLower(tp.Name)
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], tp.Name)
	}
	for _, k := range order {
		g := groups[k]
		if len(g) < 2 {
			continue
		}
		p.problem(g[0], "", "%s differ only in case, and %s: in %s they would be one table %s, and the second would overwrite the first's rows; copy them to separate targets",
			andList(g), n.foldCase, n.dst, k)
	}
}

// creatable reports a table or column name the target cannot create.
func (n *targetNames) creatable(p *Plan, tp TablePlan) {
	if why := n.dst.dialect.checkName(tp.Name, "", n.dst); why != "" {
		p.problem(tp.Name, "", "%s", why)
	}
	if tp.st == nil {
		return
	}
	for _, c := range tp.st.Columns {
		if why := n.dst.dialect.checkName(tp.Name, c.Name, n.dst); why != "" {
			p.problem(tp.Name, c.Name, "%s", why)
		}
	}
}

// andList writes "a and b", "a, b and c", each name as given.
func andList(names []string) string {
	s := append([]string(nil), names...)
	sort.Strings(s)
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
