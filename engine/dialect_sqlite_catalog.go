package engine

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// describeSQLite reads a table's shape from SQLite's pragmas.
func describeSQLite(ctx context.Context, d *DB, name string) (*Table, error) {
	var create string
	err := d.db.QueryRowContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE", name).Scan(&name, &create)
	if err != nil {
		if isNoRows(err) {
			return nil, fmt.Errorf("table %s in %s: %w", name, d, ErrNoTable)
		}
		return nil, fmt.Errorf("read definition of %s in %s: %w", name, d, err)
	}
	t := &Table{Name: name, Create: []string{create}}
	rows, err := d.db.QueryContext(ctx, "SELECT name, type, \"notnull\", pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid", name)
	if err != nil {
		return nil, fmt.Errorf("read columns of %s in %s: %w", name, d, err)
	}
	defer rows.Close()
	pk := map[int]int{} // pk position -> column index
	for rows.Next() {
		var c Column
		var notNull, pkPos, hidden int
		if err := rows.Scan(&c.Name, &c.Type, &notNull, &pkPos, &hidden); err != nil {
			return nil, fmt.Errorf("read columns of %s in %s: %w", name, d, err)
		}
		if hidden == 1 {
			continue // hidden column of a virtual table
		}
		c.Generated = hidden == 2 || hidden == 3
		c.Nullable = notNull == 0
		sqliteFamily(&c)
		if pkPos > 0 {
			pk[pkPos] = len(t.Columns)
		}
		t.Columns = append(t.Columns, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read columns of %s in %s: %w", name, d, err)
	}
	rows.Close()
	if len(pk) > 0 {
		for i := 1; i <= len(pk); i++ {
			t.Key = append(t.Key, pk[i])
		}
		t.KeyName = "PRIMARY"
	} else if err := sqliteUniqueKey(ctx, d, t); err != nil {
		return nil, err
	}
	idx, err := d.db.QueryContext(ctx, "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name", name)
	if err != nil {
		return nil, fmt.Errorf("read indexes of %s in %s: %w", name, d, err)
	}
	defer idx.Close()
	for idx.Next() {
		var s string
		if err := idx.Scan(&s); err != nil {
			return nil, fmt.Errorf("read indexes of %s in %s: %w", name, d, err)
		}
		t.Create = append(t.Create, s)
	}
	return t, idx.Err()
}

// sqliteUniqueKey picks the narrowest full (not partial) unique index over NOT NULL columns.
func sqliteUniqueKey(ctx context.Context, d *DB, t *Table) error {
	rows, err := d.db.QueryContext(ctx, "SELECT name FROM pragma_index_list(?) WHERE \"unique\" = 1 AND partial = 0 ORDER BY name", t.Name)
	if err != nil {
		return fmt.Errorf("read keys of %s in %s: %w", t.Name, d, err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return fmt.Errorf("read keys of %s in %s: %w", t.Name, d, err)
		}
		names = append(names, n)
	}
	rows.Close()
	idx := map[string][]string{}
	var order []string
	for _, n := range names {
		cols, err := d.db.QueryContext(ctx, "SELECT COALESCE(name, '') FROM pragma_index_info(?) ORDER BY seqno", n)
		if err != nil {
			return fmt.Errorf("read key %s of %s in %s: %w", n, t.Name, d, err)
		}
		var list []string
		ok := true
		for cols.Next() {
			var c string
			if err := cols.Scan(&c); err != nil {
				cols.Close()
				return fmt.Errorf("read key %s of %s in %s: %w", n, t.Name, d, err)
			}
			if c == "" {
				ok = false // an expression index cannot order a keyset
			}
			list = append(list, c)
		}
		cols.Close()
		if ok {
			idx[n] = list
			order = append(order, n)
		}
	}
	return chooseKey(t, "", idx, order)
}

// declType splits an SQLite declared type into its words (upper case) and
// its numeric arguments: "decimal(12, 2)" -> ["DECIMAL"], [12 2].
func declType(decl string) (words []string, args []int) {
	s := strings.ToUpper(strings.TrimSpace(decl))
	if i := strings.IndexByte(s, '('); i >= 0 {
		inner := s[i+1:]
		if j := strings.IndexByte(inner, ')'); j >= 0 {
			for _, a := range strings.Split(inner[:j], ",") {
				if n, err := strconv.Atoi(strings.TrimSpace(a)); err == nil {
					args = append(args, n)
				}
			}
			s = s[:i] + " " + inner[j+1:]
		} else {
			s = s[:i]
		}
	}
	return strings.Fields(s), args
}

// sqliteFamily classifies an SQLite declared type, recognising the names
// runway itself writes (see SQLiteType) and the common MySQL-style names,
// and falling back to SQLite's affinity rules.
func sqliteFamily(c *Column) {
	words, args := declType(c.Type)
	arg := func(i int) int {
		if i < len(args) {
			return args[i]
		}
		return 0
	}
	all := strings.Join(words, " ")
	first := ""
	if len(words) > 0 {
		first = words[0]
	}
	c.Unsigned = strings.Contains(all, "UNSIGNED")
	switch first {
	case "":
		c.Family = FamOther
	case "UNSIGNED64":
		c.Family, c.Unsigned = FamUint, true
	case "BOOL", "BOOLEAN":
		c.Family = FamBool
	case "DECIMAL", "NUMERIC", "DEC", "FIXED":
		c.Family, c.Precision, c.Scale = FamDecimal, arg(0), arg(1)
	case "FLOAT", "REAL", "DOUBLE":
		c.Family = FamDouble
	case "DATETIME":
		c.Family, c.Scale = FamDateTime, fracDigits(args)
	case "TIMESTAMP":
		c.Family, c.Scale = FamTimestamp, fracDigits(args)
	case "DATE":
		c.Family = FamDate
	case "TIME":
		c.Family, c.Scale = FamTime, fracDigits(args)
	case "YEAR":
		c.Family = FamYear
	case "JSON":
		c.Family = FamJSON
	case "BIT":
		c.Family, c.Precision = FamBit, arg(0)
	case "BINARY", "VARBINARY", "BLOB", "TINYBLOB", "MEDIUMBLOB", "LONGBLOB", "BYTEA":
		c.Family, c.Length = FamBytes, int64(arg(0))
	case "CHAR", "VARCHAR", "NCHAR", "NVARCHAR", "CHARACTER", "TEXT", "TINYTEXT", "MEDIUMTEXT",
		"LONGTEXT", "CLOB", "ENUM", "SET", "VARYING":
		c.Family, c.Length = FamText, int64(arg(0))
	default:
		switch {
		case strings.Contains(all, "INT"):
			c.Family = FamInt
			if c.Unsigned {
				c.Family = FamUint
			}
		case strings.Contains(all, "CHAR"), strings.Contains(all, "CLOB"), strings.Contains(all, "TEXT"):
			c.Family = FamText
		case strings.Contains(all, "BLOB"):
			c.Family = FamBytes
		case strings.Contains(all, "REAL"), strings.Contains(all, "FLOA"), strings.Contains(all, "DOUB"):
			c.Family = FamDouble
		default:
			c.Family, c.Precision, c.Scale = FamDecimal, arg(0), arg(1)
		}
	}
}

// fracDigits is the fractional-second precision of an SQLite time type. Without
// one it is unknown, and 6 keeps whatever the text holds.
func fracDigits(args []int) int {
	if len(args) > 0 {
		return args[0]
	}
	return 6
}

// quoteSQLite quotes an identifier with double quotes.
func quoteSQLite(id string) string {
	return `"` + strings.ReplaceAll(id, `"`, `""`) + `"`
}
