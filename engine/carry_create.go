package engine

import (
	"fmt"
	"strings"
)

// What a table created on another engine keeps of the source's definition
// besides columns and key: constant and current-time defaults, and plain
// secondary indexes. The rest is named by carryNotes, so that the plan says
// what the created table lacks before anything is written.

// defaultClause is the DEFAULT clause of column c in a table created on
// dst from another engine (with a leading space), or why c's default is
// not carried there.
func defaultClause(dst *DB, c Column) (clause, skipped string) {
	d := c.Default
	switch d.Kind {
	case NoDefault:
		return "", ""
	case DefaultNumber:
		if why := numberDefaultMisfit(c, strings.ToUpper(createdType(dst, c, false, false)), d.Value); why != "" {
			return "", why
		}
	case DefaultText:
		if why := textDefaultMisfit(c, d.Value); why != "" {
			return "", why
		}
	case DefaultNow:
		if c.Family != FamDateTime && c.Family != FamTimestamp {
			return "", "the current time in a " + c.Family.String() + " column"
		}
		expr, why := dst.dialect.nowDefault(c)
		if why != "" {
			return "", why
		}
		return " DEFAULT " + expr, ""
	default:
		return "", "not a plain number, text or current time"
	}
	return dst.dialect.literalDefault(c, d)
}

// carryNotes says what a table created on dst from src's table t will not
// have of t's definition: defaults, automatic updates, numbering, generated
// columns, indexes.
func carryNotes(src, dst *DB, t *Table) []string {
	var notes []string
	if systemVersioned(t) {
		notes = append(notes, fmt.Sprintf("not carried: the history of the system-versioned table %s (only its current rows are copied; the target keeps no history of them from before the copy)", t.Name))
	}
	if sameDialect(src, dst) && src.dialect.createsFromOwnText() {
		return notes // created from the source's own definition
	}
	for _, c := range t.Columns {
		switch {
		case !c.Generated:
			notes = append(notes, columnNotCarried(src, dst, t, c)...)
		case !sameDialect(src, dst): // PostgreSQL creates it with its expression
			notes = append(notes, fmt.Sprintf("not carried: the generated column %s (its expression is not translated across engines; the created table has no such column)", c.Name))
		}
	}
	for _, ix := range t.Indexes {
		if sameDialect(src, dst) {
			break // PostgreSQL rebuilds its indexes from their definitions
		}
		if why := indexSkip(dst, t, ix); why != "" {
			notes = append(notes, fmt.Sprintf("not created: index %s (%s)", ix.Name, why))
		}
	}
	return notes
}

func columnNotCarried(src, dst *DB, t *Table, c Column) []string {
	var out []string
	if c.Default.Kind != NoDefault {
		if _, why := carriedDefault(src, dst, c); why != "" {
			out = append(out, fmt.Sprintf("not carried: the default of %s (%s: %s)", c.Name, clipped(c.Default.Raw, 40), why))
		}
	}
	if c.Default.OnUpdateNow && !sameDialect(src, dst) {
		out = append(out, fmt.Sprintf("not carried: ON UPDATE CURRENT_TIMESTAMP of %s (%s has no such clause; the application or a trigger must set it)", c.Name, dst.dialect.title()))
	}
	soleKey := len(t.Key) == 1 && t.Columns[t.Key[0]].Name == c.Name
	if c.Default.Sequence && !(soleKey && dst.dialect.numbersKey(c)) {
		out = append(out, fmt.Sprintf("not carried: the numbering of %s (copied rows keep their values; create a sequence or auto-increment before new rows arrive)", c.Name))
	}
	return out
}

// carriedDefault is c's DEFAULT clause on dst, or why it is not carried:
// within one engine the catalog's own expression is kept.
func carriedDefault(src, dst *DB, c Column) (string, string) {
	if sameDialect(src, dst) {
		if c.Default.Kind == DefaultOther {
			return "", "not a plain number, text or current time"
		}
		return " DEFAULT " + c.Default.Raw, ""
	}
	return defaultClause(dst, c)
}

// clipped is s on one line, cut to at most n characters.
func clipped(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}

// systemVersioned tells that t is a MariaDB table WITH SYSTEM VERSIONING
// (a table option, on the line that closes the column list), whose history
// rows runway neither reads nor writes.
func systemVersioned(t *Table) bool {
	if len(t.Create) != 1 {
		return false
	}
	i := strings.LastIndex(t.Create[0], "\n) ")
	if i < 0 {
		return false
	}
	opts, _, _ := strings.Cut(t.Create[0][i:], "\n PARTITION")
	return strings.Contains(opts, " WITH SYSTEM VERSIONING")
}
