package engine

import (
	"fmt"
	"strings"
)

// What a MySQL table created from another engine takes of its definition.

func (mysqlDialect) createsFromOwnText() bool { return true }
func (mysqlDialect) title() string            { return "MySQL" }
func (mysqlDialect) numbersKey(Column) bool   { return false }

// indexNaming: MySQL names an index within its table, in 64 characters.
func (mysqlDialect) indexNaming() (int, bool) { return 64, true }

func (mysqlDialect) nowDefault(c Column) string { return "CURRENT_TIMESTAMP" + fracArg(c.Scale) }

// literalDefault: a text with a backslash or NUL reads by the server's
// sql_mode, so it is not carried; TEXT columns take a default only as an
// expression on MySQL 8.
func (mysqlDialect) literalDefault(c Column, d Default) (string, string) {
	if d.Kind == DefaultNumber && numeric(c.Family) {
		return " DEFAULT " + d.Value, ""
	}
	if strings.ContainsAny(d.Value, "\\\x00") {
		return "", "a backslash or NUL, which MySQL reads by its sql_mode"
	}
	if mysqlLongType(c) {
		return " DEFAULT (" + sqlString(d.Value) + ")", ""
	}
	return " DEFAULT " + sqlString(d.Value), ""
}

// mysqlLongType: c is created as a TEXT or BLOB type.
func mysqlLongType(c Column) bool {
	t := strings.ToUpper(MySQLType(c, false))
	return strings.Contains(t, "TEXT") || strings.Contains(t, "BLOB")
}

// maxMySQLKeyBytes is InnoDB's limit on an index entry with DYNAMIC rows.
const maxMySQLKeyBytes = 3072

func (mysqlDialect) indexMisfit(cols []Column) string {
	n := 0
	for _, c := range cols {
		if mysqlLongType(c) || c.Family == FamJSON || c.Family == FamOther {
			return "MySQL indexes a TEXT or BLOB column only by a prefix"
		}
		switch c.Family {
		case FamText:
			n += int(c.Length) * 4
		case FamBytes:
			n += int(c.Length)
		default:
			n += 8
		}
	}
	if n > maxMySQLKeyBytes {
		return fmt.Sprintf("%d bytes, beyond MySQL's %d-byte index entries", n, maxMySQLKeyBytes)
	}
	return ""
}

// addIndexes: one ALTER, which InnoDB builds in one pass, all or none.
func (mysqlDialect) addIndexes(d *DB, table string, ixs []Index) []string {
	adds := make([]string, len(ixs))
	for i, ix := range ixs {
		adds[i] = "ADD " + uniqueWord(ix) + "KEY " + d.Quote(ix.Name) + " (" + d.quoteList(ix.Columns) + ")"
	}
	return []string{"ALTER TABLE " + table + " " + strings.Join(adds, ", ")}
}
