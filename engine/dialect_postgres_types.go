package engine

import (
	"fmt"
	"strings"
)

// PostgresType is the column type runway gives a column when it creates a
// PostgreSQL table from a MySQL or SQLite table:
//
//	TINYINT, SMALLINT          smallint          (TINYINT(1) too: MySQL does not say it is a boolean)
//	MEDIUMINT, INT             integer
//	BIGINT, SQLite INTEGER     bigint
//	unsigned                   the next wider signed type; BIGINT UNSIGNED numeric(20,0)
//	BOOLEAN                    boolean
//	FLOAT, DOUBLE              real, double precision
//	DECIMAL(p,s)               numeric(p,s)      (numeric without a declared precision)
//	CHAR(n), VARCHAR(n)        varchar(n)        (CHAR would pad with spaces)
//	TEXT…, ENUM, SET           text
//	BINARY, BLOB…, BIT(n)      bytea             (BIT: the bytes MySQL stores)
//	DATE                       date
//	DATETIME(n)                timestamp(n)      (no time zone, as written)
//	TIMESTAMP(n)               timestamptz(n)    (sessions are UTC on both sides)
//	TIME(n)                    time(n)
//	YEAR                       smallint
//	JSON                       json              (jsonb would reorder keys and drop duplicates)
func PostgresType(c Column) string {
	base := baseName(c.Type)
	switch c.Family {
	case FamInt:
		switch base {
		case "TINYINT", "SMALLINT":
			return "smallint"
		case "MEDIUMINT", "INT":
			return "integer"
		}
		return "bigint"
	case FamUint:
		switch base {
		case "TINYINT":
			return "smallint"
		case "SMALLINT", "MEDIUMINT":
			return "integer"
		case "INT":
			return "bigint"
		}
		return "numeric(20,0)"
	case FamBool:
		return "boolean"
	case FamFloat:
		return "real"
	case FamDouble:
		return "double precision"
	case FamDecimal:
		if c.Precision > 0 {
			return fmt.Sprintf("numeric(%d,%d)", c.Precision, c.Scale)
		}
		return "numeric"
	case FamText:
		if base == "UUID" {
			return "uuid"
		}
		if (base == "VARCHAR" || base == "CHAR" || base == "CHARACTER" || base == "NVARCHAR" || base == "NCHAR") && c.Length > 0 && c.Length <= 10485760 {
			return fmt.Sprintf("varchar(%d)", c.Length)
		}
		return "text"
	case FamBytes, FamBit:
		return "bytea"
	case FamDate:
		return "date"
	case FamDateTime:
		return pgWithFrac("timestamp", c.Scale)
	case FamTimestamp:
		return pgWithFrac("timestamptz", c.Scale)
	case FamTime:
		return pgWithFrac("time", c.Scale)
	case FamYear:
		return "smallint"
	case FamJSON:
		return "json"
	}
	return "text"
}

func pgWithFrac(name string, scale int) string {
	return fmt.Sprintf("%s(%d)", name, min(max(scale, 0), 6))
}

// pgZoned tells a PostgreSQL timestamp with time zone from the format_type
// spelling of its column.
func pgZoned(c Column) bool { return strings.Contains(c.Type, "with time zone") }
