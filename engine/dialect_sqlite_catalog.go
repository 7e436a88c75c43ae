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
	rows, err := d.db.QueryContext(ctx, "SELECT name, type, \"notnull\", pk, hidden, COALESCE(dflt_value, '') FROM pragma_table_xinfo(?) ORDER BY cid", name)
	if err != nil {
		return nil, fmt.Errorf("read columns of %s in %s: %w", name, d, err)
	}
	defer rows.Close()
	pk := map[int]int{} // pk position -> column index
	for rows.Next() {
		var c Column
		var notNull, pkPos, hidden int
		var dflt string
		if err := rows.Scan(&c.Name, &c.Type, &notNull, &pkPos, &hidden, &dflt); err != nil {
			return nil, fmt.Errorf("read columns of %s in %s: %w", name, d, err)
		}
		if hidden == 1 {
			continue // hidden column of a virtual table
		}
		c.Generated = hidden == 2 || hidden == 3
		c.Nullable = notNull == 0
		sqliteFamily(&c)
		c.Default = parseDefault(dflt, unquoteSQL).fitFamily(c.Family)
		if pkPos > 0 {
			pk[pkPos] = len(t.Columns)
		}
		t.Columns = append(t.Columns, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read columns of %s in %s: %w", name, d, err)
	}
	rows.Close()
	all, err := sqliteIndexes(ctx, d, t)
	if err != nil {
		return nil, err
	}
	if len(pk) > 0 {
		for i := 1; i <= len(pk); i++ {
			t.Key = append(t.Key, pk[i])
		}
		t.KeyName = "PRIMARY"
		if k := &t.Columns[pk[1]]; len(pk) == 1 && strings.EqualFold(k.Type, "INTEGER") {
			k.Default.Sequence = true // a rowid alias: SQLite numbers new rows
		}
	} else if err := sqliteUniqueKey(t, all); err != nil {
		return nil, err
	}
	for _, ix := range all {
		t.addIndex(ix)
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
func sqliteUniqueKey(t *Table, all []Index) error {
	idx := map[string][]string{}
	var order []string
	for _, ix := range all {
		if ix.Unique && ix.Kind == "" { // an expression index cannot order a keyset
			idx[ix.Name] = ix.Columns
			order = append(order, ix.Name)
		}
	}
	return chooseKey(t, "", idx, order)
}

// sqliteIndexes reads t's indexes other than its primary key's. A UNIQUE
// constraint's automatic index gets a name other databases allow.
func sqliteIndexes(ctx context.Context, d *DB, t *Table) ([]Index, error) {
	rows, err := d.db.QueryContext(ctx, "SELECT name, \"unique\", partial FROM pragma_index_list(?) WHERE origin <> 'pk' ORDER BY name", t.Name)
	if err != nil {
		return nil, fmt.Errorf("read keys of %s in %s: %w", t.Name, d, err)
	}
	var all []Index
	for rows.Next() {
		var ix Index
		var partial bool
		if err := rows.Scan(&ix.Name, &ix.Unique, &partial); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read keys of %s in %s: %w", t.Name, d, err)
		}
		if partial {
			ix.Kind = "a partial index"
		}
		all = append(all, ix)
	}
	rows.Close()
	for i := range all {
		if err := sqliteIndexColumns(ctx, d, t, &all[i]); err != nil {
			return nil, err
		}
	}
	return all, nil
}

func sqliteIndexColumns(ctx context.Context, d *DB, t *Table, ix *Index) error {
	cols, err := d.db.QueryContext(ctx, "SELECT COALESCE(name, '') FROM pragma_index_info(?) ORDER BY seqno", ix.Name)
	if err != nil {
		return fmt.Errorf("read key %s of %s in %s: %w", ix.Name, t.Name, d, err)
	}
	defer cols.Close()
	for cols.Next() {
		var c string
		if err := cols.Scan(&c); err != nil {
			return fmt.Errorf("read key %s of %s in %s: %w", ix.Name, t.Name, d, err)
		}
		if c == "" {
			ix.Kind = "an index on an expression"
		}
		ix.Columns = append(ix.Columns, c)
	}
	if strings.HasPrefix(ix.Name, "sqlite_autoindex_") { // a name no other index of the file has
		ix.Name = t.Name + "_" + strings.Join(ix.Columns, "_") + "_key_" + indexHash(t.Name, ix.Name)[:8]
	}
	return cols.Err()
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

// storageIDs: SQLite has no TRUNCATE; a DELETE without WHERE fires the
// row triggers like any other.
func (sqliteDialect) storageIDs(context.Context, *DB, []string) (map[string]string, error) {
	return nil, nil
}

// SQLite keeps no table comments: its change logs carry no identity.
func (sqliteDialect) tableComment(context.Context, *DB, string) (string, error) { return "", nil }
func (sqliteDialect) createChangeLog(name, _ string) []string {
	return []string{"CREATE TABLE IF NOT EXISTS " + name + sqliteSQL.changeLog}
}

// ownTypeProblems: SQLite has no types of a database's own.
func (sqliteDialect) ownTypeProblems(context.Context, *DB, *DB, *TablePlan, bool, *Plan) error {
	return nil
}
