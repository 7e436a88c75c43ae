package engine

import (
	"strings"
)

// keyNames are the quoted key column names of t.
func (d *DB) keyNames(t *Table) []string {
	out := make([]string, len(t.Key))
	for i, k := range t.Key {
		out[i] = d.Quote(t.Columns[k].Name)
	}
	return out
}

// OrderBy is the ORDER BY list of t's key.
func (d *DB) OrderBy(t *Table) string { return strings.Join(d.keyNames(t), ", ") }

// After is the condition "key > k" on t's key (k in key order).
func (d *DB) After(t *Table, k []Value) string { return d.keyCompare(t, k, ">") }

// Through is the condition "key <= k".
func (d *DB) Through(t *Table, k []Value) string { return d.keyCompare(t, k, "<=") }

// keyCompare compares the key tuple with a literal tuple. SQLite has indexed
// row values; for MySQL the tuple is spelled out as a disjunction with a
// leading range on the first column, which every MySQL/MariaDB optimizer
// turns into one index range.
func (d *DB) keyCompare(t *Table, k []Value, op string) string {
	names := d.keyNames(t)
	lits := make([]string, len(k))
	for i, v := range k {
		lits[i] = string(d.dialect.appendKeyLiteral(nil, &t.Columns[t.Key[i]], v))
	}
	if len(names) == 1 {
		return names[0] + " " + op + " " + lits[0]
	}
	if d.dialect.rowValues() {
		return "(" + strings.Join(names, ", ") + ") " + op + " (" + strings.Join(lits, ", ") + ")"
	}
	strict, first := ">", ">="
	if op == "<=" || op == "<" {
		strict, first = "<", "<="
	}
	var b strings.Builder
	b.WriteString(names[0] + " " + first + " " + lits[0] + " AND (")
	for i := range names {
		if i > 0 {
			b.WriteString(" OR ")
		}
		b.WriteString("(")
		for j := 0; j < i; j++ {
			b.WriteString(names[j] + " = " + lits[j] + " AND ")
		}
		last := strict
		if i == len(names)-1 && (op == "<=" || op == ">=") {
			last = op
		}
		b.WriteString(names[i] + " " + last + " " + lits[i] + ")")
	}
	b.WriteString(")")
	return b.String()
}

// KeyIn is the condition "key is one of keys" (each key in key order).
func (d *DB) KeyIn(t *Table, keys [][]Value) string {
	names := d.keyNames(t)
	var b strings.Builder
	if len(names) == 1 {
		b.WriteString(names[0] + " IN (")
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.Write(d.dialect.appendKeyLiteral(nil, &t.Columns[t.Key[0]], k[0]))
		}
		b.WriteString(")")
		return b.String()
	}
	if d.dialect.rowValues() {
		b.WriteString("(" + strings.Join(names, ", ") + ") IN (VALUES ")
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(")
			for j, v := range k {
				if j > 0 {
					b.WriteString(", ")
				}
				b.Write(d.dialect.appendKeyLiteral(nil, &t.Columns[t.Key[j]], v))
			}
			b.WriteString(")")
		}
		b.WriteString(")")
		return b.String()
	}
	b.WriteString("(")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(" OR ")
		}
		b.WriteString("(")
		for j, v := range k {
			if j > 0 {
				b.WriteString(" AND ")
			}
			b.WriteString(names[j] + " = ")
			b.Write(d.dialect.appendKeyLiteral(nil, &t.Columns[t.Key[j]], v))
		}
		b.WriteString(")")
	}
	b.WriteString(")")
	return b.String()
}

// selectList is the SELECT list reading cols of t exactly (see
// dialect.readExpr).
func (d *DB) selectList(t *Table, cols []int) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		col := &t.Columns[c]
		parts[i] = d.dialect.readExpr(col, d.Quote(col.Name))
	}
	return strings.Join(parts, ", ")
}

// and joins conditions with AND, skipping empty ones.
func and(conds ...string) string {
	var out []string
	for _, c := range conds {
		if c != "" {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(out, " AND ")
}
