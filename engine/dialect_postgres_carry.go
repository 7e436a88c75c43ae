package engine

import "fmt"

// What a PostgreSQL table created from another engine takes of its
// definition. Within PostgreSQL runway rebuilds the definition itself.

func (postgresDialect) createsFromOwnText() bool           { return false }
func (postgresDialect) title() string                      { return "PostgreSQL" }
func (postgresDialect) numbersKey(Column) bool             { return false }
func (postgresDialect) nowDefault(Column) (string, string) { return "CURRENT_TIMESTAMP", "" }
func (postgresDialect) indexNaming() (int, bool)           { return maxPostgresName, false }

// literalDefault: a boolean takes true or false, not 1 or 0.
func (postgresDialect) literalDefault(c Column, d Default) (string, string) {
	if d.Kind == DefaultNumber && c.Family == FamBool {
		switch d.Value {
		case "0":
			return " DEFAULT false", ""
		case "1":
			return " DEFAULT true", ""
		}
		return "", "not a boolean"
	}
	if d.Kind == DefaultNumber && numeric(c.Family) {
		return " DEFAULT " + d.Value, ""
	}
	return " DEFAULT " + sqlString(d.Value), ""
}

// maxPostgresKeyBytes is about what a btree entry holds; a longer one
// would fail the index build after the copy.
const maxPostgresKeyBytes = 2704

func (postgresDialect) indexMisfit(cols []Column) string {
	n := 0
	for _, c := range cols {
		if unboundedText(c) {
			return fmt.Sprintf("%s has no length, and PostgreSQL's index entries hold at most %d bytes", c.Name, maxPostgresKeyBytes)
		}
		n += maxValueBytes(c)
	}
	if n > maxPostgresKeyBytes {
		return fmt.Sprintf("values of up to %d bytes, beyond PostgreSQL's %d-byte index entries", n, maxPostgresKeyBytes)
	}
	return ""
}

func (postgresDialect) addIndexes(d *DB, table string, ixs []Index) []string {
	out := make([]string, len(ixs))
	for i, ix := range ixs {
		out[i] = "CREATE " + uniqueWord(ix) + "INDEX " + d.Quote(ix.Name) + " ON " + table + " (" + d.quoteList(ix.Columns) + ")"
	}
	return out
}

// unboundedText: c holds text or bytes of any length.
func unboundedText(c Column) bool {
	switch c.Family {
	case FamText, FamBytes, FamJSON, FamOther:
		return c.Length == 0
	}
	return false
}

func (postgresDialect) triggersSeeCascades() bool { return true }
