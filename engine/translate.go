package engine

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

// SQLiteType is the declared type runway gives a column when it creates an
// SQLite table from another engine's table. The name keeps the source type
// where SQLite's affinity for it keeps values exact, and otherwise forces the
// affinity that does:
//
//	integers                  INTEGER (single-column key: a rowid alias), BIGINT, INT UNSIGNED, …
//	BIGINT UNSIGNED           UNSIGNED64 BLOB  (no affinity: values above int64 stay exact text)
//	DECIMAL(p,s)              DECIMAL TEXT(p,s) (text affinity: digits and trailing zeros kept)
//	FLOAT, DOUBLE             FLOAT, DOUBLE
//	dates and times           DATE, DATETIME(n), TIMESTAMP(n), TIME(n), YEAR (text as MySQL prints it)
//	JSON                      JSON TEXT
//	strings, bytes            VARCHAR(n), TEXT, …, VARBINARY(n), BLOB, …
//
// rowidKey is true for the single integer key column.
func SQLiteType(c Column, rowidKey bool) string {
	base := baseName(c.Type)
	switch c.Family {
	case FamInt:
		if rowidKey {
			return "INTEGER"
		}
		if isMySQLInt(base) {
			return base
		}
		return "INTEGER"
	case FamUint:
		if rowidKey && base != "BIGINT" {
			return "INTEGER"
		}
		if base == "BIGINT" || !isMySQLInt(base) {
			return "UNSIGNED64 BLOB"
		}
		return base + " UNSIGNED"
	case FamBool:
		return "BOOLEAN"
	case FamFloat:
		return "FLOAT"
	case FamDouble:
		return "DOUBLE"
	case FamDecimal:
		if c.Precision > 0 {
			return fmt.Sprintf("DECIMAL TEXT(%d,%d)", c.Precision, c.Scale)
		}
		return "DECIMAL TEXT"
	case FamText:
		switch base {
		case "CHAR", "VARCHAR":
			if c.Length > 0 {
				return fmt.Sprintf("%s(%d)", base, c.Length)
			}
		case "TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT":
			return base
		case "UUID":
			return "UUID TEXT"
		}
		return "TEXT"
	case FamBytes:
		switch base {
		case "BINARY", "VARBINARY":
			if c.Length > 0 {
				return fmt.Sprintf("%s(%d)", base, c.Length)
			}
		case "TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB":
			return base
		case "CHAR":
			return fmt.Sprintf("BINARY(%d)", c.Length)
		case "VARCHAR":
			return fmt.Sprintf("VARBINARY(%d)", c.Length)
		}
		return "BLOB"
	case FamDate:
		return "DATE"
	case FamDateTime: // explicit (0): SQLite "DATETIME" alone means unknown precision
		return fmt.Sprintf("DATETIME(%d)", c.Scale)
	case FamTimestamp:
		return fmt.Sprintf("TIMESTAMP(%d)", c.Scale)
	case FamTime:
		return fmt.Sprintf("TIME(%d)", c.Scale)
	case FamYear:
		return "YEAR"
	case FamJSON:
		return "JSON TEXT"
	case FamBit:
		return fmt.Sprintf("BIT(%d)", max(c.Precision, 1))
	}
	return "BLOB"
}

// MySQLType is the column type runway gives a column when it creates a MySQL
// table from an SQLite or PostgreSQL table (uuid CHAR(36), timestamptz
// DATETIME(n) holding UTC, bytea LONGBLOB, text LONGTEXT, boolean TINYINT(1)): wide enough for anything SQLite may hold in it
// (SQLite does not enforce lengths), exact for the names SQLiteType writes.
// inKey is true for key columns, which need a bounded length.
func MySQLType(c Column, inKey bool) string {
	base := baseName(c.Type)
	switch c.Family {
	case FamInt:
		if isMySQLInt(base) && base != "INTEGER" {
			return base
		}
		return "BIGINT"
	case FamUint:
		if isMySQLInt(base) && base != "INTEGER" {
			return base + " UNSIGNED"
		}
		return "BIGINT UNSIGNED"
	case FamBool:
		return "TINYINT(1)"
	case FamFloat, FamDouble:
		return "DOUBLE"
	case FamDecimal:
		if c.Precision > 0 {
			return fmt.Sprintf("DECIMAL(%d,%d)", min(c.Precision, 65), min(c.Scale, 30))
		}
		return "DOUBLE"
	case FamText:
		if base == "UUID" {
			return "CHAR(36)"
		}
		if (base == "VARCHAR" || base == "CHAR" || base == "NVARCHAR" || base == "NCHAR") && c.Length > 0 && c.Length <= 16000 {
			return fmt.Sprintf("VARCHAR(%d)", c.Length) // CHAR would strip trailing spaces
		}
		if inKey {
			return "VARCHAR(255)"
		}
		return "LONGTEXT"
	case FamBytes:
		if (base == "VARBINARY" || base == "BINARY") && c.Length > 0 && c.Length <= 65000 {
			return fmt.Sprintf("VARBINARY(%d)", c.Length) // BINARY would pad with zero bytes
		}
		if inKey {
			return "VARBINARY(255)"
		}
		return "LONGBLOB"
	case FamDate:
		return "DATE"
	case FamDateTime:
		return withFrac("DATETIME", c.Scale)
	case FamTimestamp:
		if pgZoned(c) { // beyond TIMESTAMP's 1970-2038: the UTC time as a DATETIME
			return withFrac("DATETIME", c.Scale)
		}
		return withFrac("TIMESTAMP", c.Scale)
	case FamTime:
		return withFrac("TIME", c.Scale)
	case FamYear:
		return "YEAR"
	case FamJSON:
		return "JSON"
	case FamBit:
		if c.Precision > 0 && c.Precision <= 64 {
			return fmt.Sprintf("BIT(%d)", c.Precision)
		}
		return "BIT(64)"
	}
	if inKey {
		return "VARBINARY(255)"
	}
	return "LONGBLOB"
}

// createStatements returns the statements that create src table t on dst,
// and the statements that add its secondary indexes once the rows are in:
// built by sorting at the end, an index costs far less than maintained row
// by row through the copy. Same engine: the source's own definition (MySQL
// non-unique KEYs deferred unless foreign keys lean on them; SQLite
// non-unique indexes deferred). Across engines: columns translated (see
// SQLiteType, MySQLType) with the defaults that mean the same on both
// engines, the key as primary key, and the plain secondary indexes (see
// carryNotes for what is left out).
func createStatements(ctx context.Context, src, dst *DB, t *Table) (now, deferred []string) {
	if sameDialect(src, dst) {
		return dst.dialect.sameCreate(t, dst.Quote(t.Name))
	}
	var cols []string
	for i, c := range t.Columns {
		if c.Generated {
			continue
		}
		inKey := t.isKey(i)
		soleIntKey := inKey && len(t.Key) == 1 && (c.Family == FamInt || c.Family == FamUint)
		dflt, _ := defaultClause(dst, c)
		cols = append(cols, dst.Quote(c.Name)+" "+dst.dialect.columnDef(c, inKey, soleIntKey, dflt))
	}
	cols = append(cols, "PRIMARY KEY ("+dst.quoteList(t.KeyColumns())+")")
	q := "CREATE TABLE " + dst.Quote(t.Name) + " (\n  " + strings.Join(cols, ",\n  ") + "\n)" + dst.dialect.tableOptions(ctx, dst)
	return []string{q}, indexStatements(src, dst, t)
}

var (
	createIndexRE = regexp.MustCompile(`(?i)^\s*CREATE\s+INDEX\s+(IF\s+NOT\s+EXISTS\s+)?`)
	mysqlKeyRE    = regexp.MustCompile(`^  (KEY|INDEX|FULLTEXT KEY|FULLTEXT INDEX|SPATIAL KEY|SPATIAL INDEX) `)
)

// deferMySQLKeys takes the non-unique KEY lines out of a SHOW CREATE TABLE
// text and returns them as one ALTER TABLE. The text is kept whole when it
// has foreign keys (they need their index from the start) or a line it does
// not recognise.
func deferMySQLKeys(create, name string) ([]string, []string) {
	open := strings.Index(create, "(\n")
	end := strings.LastIndex(create, "\n)")
	if open < 0 || end < open || strings.Contains(create, "FOREIGN KEY") {
		return []string{create}, nil
	}
	var keep, keys []string
	for _, line := range strings.Split(create[open+2:end], "\n") {
		if !strings.HasPrefix(line, "  ") {
			return []string{create}, nil
		}
		item := strings.TrimSuffix(line, ",")
		if mysqlKeyRE.MatchString(line) {
			keys = append(keys, "ADD "+strings.TrimSpace(item))
		} else {
			keep = append(keep, item)
		}
	}
	if len(keys) == 0 {
		return []string{create}, nil
	}
	table := create[:open+2] + strings.Join(keep, ",\n") + create[end:]
	return []string{table}, []string{"ALTER TABLE " + name + " " + strings.Join(keys, ", ")}
}

var baseNameRE = regexp.MustCompile(`^[A-Za-z]+`)

// baseName is the first word of a type, upper case: "bigint(20) unsigned" -> "BIGINT".
func baseName(typ string) string {
	return strings.ToUpper(baseNameRE.FindString(strings.TrimSpace(typ)))
}

func isMySQLInt(base string) bool {
	switch base {
	case "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "BIGINT":
		return true
	}
	return false
}

func withFrac(name string, scale int) string { return name + fracArg(scale) }

func fracArg(scale int) string {
	if scale > 0 {
		return fmt.Sprintf("(%d)", min(scale, 6))
	}
	return ""
}
