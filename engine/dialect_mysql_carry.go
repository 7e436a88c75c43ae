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

// nowDefault: a zoned PostgreSQL timestamp is created as a DATETIME
// holding UTC, which CURRENT_TIMESTAMP is only in a UTC session.
func (mysqlDialect) nowDefault(c Column) (string, string) {
	if pgZoned(c) {
		return "", "the column holds UTC, and MySQL's CURRENT_TIMESTAMP is in the session's time zone"
	}
	return "CURRENT_TIMESTAMP" + fracArg(c.Scale), ""
}

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
	if c.Family == FamTimestamp && !pgZoned(c) && (d.Value < "1970-01-02" || d.Value >= "2038-01-19") {
		return "", "outside the years MySQL's TIMESTAMP holds"
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
		n += maxValueBytes(c)
	}
	if n > maxMySQLKeyBytes {
		return fmt.Sprintf("values of up to %d bytes, beyond MySQL's %d-byte index entries", n, maxMySQLKeyBytes)
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

// triggersSeeCascades: MySQL fires no trigger for a cascaded change.
func (mysqlDialect) triggersSeeCascades() bool { return false }
