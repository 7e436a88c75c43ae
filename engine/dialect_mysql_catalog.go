package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/go-sql-driver/mysql"
)

// describeMySQL reads a table's shape from information_schema.
func describeMySQL(ctx context.Context, d *DB, name string) (*Table, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE,
		COALESCE(CHARACTER_SET_NAME, ''), COALESCE(CHARACTER_MAXIMUM_LENGTH, 0),
		COALESCE(NUMERIC_PRECISION, 0), COALESCE(NUMERIC_SCALE, 0), COALESCE(DATETIME_PRECISION, 0), EXTRA,
		COLUMN_DEFAULT, COALESCE(GENERATION_EXPRESSION, '')
		FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?
		ORDER BY ORDINAL_POSITION`, name)
	if err != nil {
		return nil, fmt.Errorf("read columns of %s in %s: %w", name, d, err)
	}
	defer rows.Close()
	t := &Table{Name: name}
	maria := d.isMariaDB(ctx)
	rowEnd := map[string]bool{}
	for rows.Next() {
		var c Column
		var dataType, colType, nullable, charset, extra, expr string
		var length int64
		var prec, scale, dtPrec int
		var dflt sql.NullString
		if err := rows.Scan(&c.Name, &dataType, &colType, &nullable, &charset, &length, &prec, &scale, &dtPrec, &extra, &dflt, &expr); err != nil {
			return nil, fmt.Errorf("read columns of %s in %s: %w", name, d, err)
		}
		c.Type = colType
		c.Charset = strings.ToLower(charset)
		c.Nullable = nullable == "YES"
		c.Unsigned = strings.Contains(strings.ToLower(colType), "unsigned")
		x := strings.ToUpper(extra)
		c.Generated = strings.Contains(x, "VIRTUAL") || strings.Contains(x, "STORED") || strings.Contains(x, "PERSISTENT")
		if c.Generated && strings.EqualFold(strings.TrimSpace(expr), "ROW END") {
			rowEnd[strings.ToLower(c.Name)] = true
		}
		mysqlFamily(&c, strings.ToLower(dataType), charset, length, prec, scale, dtPrec)
		c.Default = mysqlDefault(dflt, x, maria).fitFamily(c.Family)
		t.Columns = append(t.Columns, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read columns of %s in %s: %w", name, d, err)
	}
	if len(t.Columns) == 0 {
		return nil, fmt.Errorf("table %s in %s: %w", name, d, ErrNoTable)
	}
	if maria {
		markMariaDBJSON(ctx, d, t)
	}
	if err := mysqlKey(ctx, d, t, rowEnd); err != nil {
		return nil, err
	}
	create, err := showCreateTable(ctx, d, name)
	if err != nil {
		return nil, err
	}
	t.Create = []string{create}
	if maria {
		fourByteDefaults(t, create)
	}
	return t, nil
}

// mysqlDefault reads COLUMN_DEFAULT. MariaDB prints the default as an
// expression ('text', 5, current_timestamp(), NULL); MySQL prints a
// literal's value bare and marks an expression DEFAULT_GENERATED.
func mysqlDefault(raw sql.NullString, extra string, maria bool) Default {
	var d Default
	switch {
	case !raw.Valid:
	case maria:
		d = parseDefault(raw.String, unquoteMariaDB)
	case strings.Contains(extra, "DEFAULT_GENERATED"):
		d = parseDefault(raw.String, func(string) (string, bool) { return "", false })
	default:
		d = Default{Kind: DefaultText, Value: raw.String, Raw: sqlString(raw.String)}
	}
	d.OnUpdateNow = strings.Contains(extra, "ON UPDATE")
	d.Sequence = strings.Contains(extra, "AUTO_INCREMENT")
	return d
}

// fourByteDefaults rereads text defaults holding '?' from the table's
// definition: MariaDB's catalog keeps defaults in utf8mb3, which turns a
// four-byte character into '?'.
func fourByteDefaults(t *Table, create string) {
	for i := range t.Columns {
		c := &t.Columns[i]
		if c.Default.Kind != DefaultText || !strings.Contains(c.Default.Value, "?") {
			continue
		}
		if lit, ok := createDefault(create, c.Name); ok {
			d := parseDefault(lit, unquoteMariaDB).fitFamily(c.Family)
			d.OnUpdateNow, d.Sequence = c.Default.OnUpdateNow, c.Default.Sequence
			c.Default = d
		}
	}
}

// createDefault finds the quoted default of column name in a SHOW CREATE
// TABLE text.
func createDefault(create, name string) (string, bool) {
	for _, line := range strings.Split(create, "\n") {
		rest, ok := strings.CutPrefix(line, "  "+quoteMySQL(name)+" ")
		if !ok {
			continue
		}
		i := strings.Index(rest, " DEFAULT '")
		if i < 0 {
			return "", false
		}
		lit := rest[i+len(" DEFAULT "):]
		for j := 1; j < len(lit); j++ {
			switch {
			case lit[j] == '\\':
				j++
			case lit[j] == '\'' && j+1 < len(lit) && lit[j+1] == '\'':
				j++
			case lit[j] == '\'':
				return lit[:j+1], true
			}
		}
		return "", false
	}
	return "", false
}

func mysqlFamily(c *Column, dataType, charset string, length int64, prec, scale, dtPrec int) {
	c.Length = length
	switch dataType {
	case "tinyint", "smallint", "mediumint", "int", "integer", "bigint":
		c.Family = FamInt
		if c.Unsigned {
			c.Family = FamUint
		}
	case "float":
		c.Family = FamFloat
	case "double", "real", "double precision":
		c.Family = FamDouble
	case "decimal", "numeric", "dec", "fixed":
		c.Family, c.Precision, c.Scale = FamDecimal, prec, scale
	case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set":
		c.Family = FamText
		if charset == "binary" {
			c.Family = FamBytes
		}
	case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob":
		c.Family = FamBytes
	case "date":
		c.Family = FamDate
	case "datetime":
		c.Family, c.Scale = FamDateTime, dtPrec
	case "timestamp":
		c.Family, c.Scale = FamTimestamp, dtPrec
	case "time":
		c.Family, c.Scale = FamTime, dtPrec
	case "year":
		c.Family = FamYear
	case "json":
		c.Family = FamJSON
	case "bit":
		c.Family, c.Precision = FamBit, prec
	case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring",
		"multipolygon", "geometrycollection", "geomcollection":
		c.Family = FamBytes // the server's internal binary form reads and writes back as is
	default:
		c.Family = FamText
	}
}

// markMariaDBJSON finds MariaDB's JSON columns, which it reports as longtext
// with a json_valid check.
func markMariaDBJSON(ctx context.Context, d *DB, t *Table) {
	rows, err := d.db.QueryContext(ctx, `SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS
		WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ?`, t.Name)
	if err != nil {
		return // older servers: JSON columns stay plain text, which is still exact
	}
	defer rows.Close()
	for rows.Next() {
		var clause string
		if rows.Scan(&clause) != nil {
			return
		}
		for i := range t.Columns {
			c := &t.Columns[i]
			if c.Family == FamText && strings.EqualFold(strings.ReplaceAll(clause, " ", ""), "json_valid("+quoteMySQL(c.Name)+")") {
				c.Family = FamJSON
			}
		}
	}
}

// mysqlKey picks the primary key, else the narrowest unique key over NOT
// NULL columns, and reads the other indexes into t.Indexes. rowEnd names
// (in lower case) the ROW END column of a MariaDB system-versioned table
// that declares its period's columns: the server adds it to every unique
// key, history rows included, and leaves it out of each unique key here,
// since runway reads the current rows only, whose row end is the same.
func mysqlKey(ctx context.Context, d *DB, t *Table, rowEnd map[string]bool) error {
	rows, err := d.db.QueryContext(ctx, `SELECT INDEX_NAME, NON_UNIQUE, COALESCE(COLUMN_NAME, ''),
		SUB_PART IS NOT NULL, INDEX_TYPE
		FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?
		ORDER BY INDEX_NAME, SEQ_IN_INDEX`, t.Name)
	if err != nil {
		return fmt.Errorf("read keys of %s in %s: %w", t.Name, d, err)
	}
	defer rows.Close()
	var all []Index
	for rows.Next() {
		var name, col, kind string
		var nonUnique int
		var prefix bool
		if err := rows.Scan(&name, &nonUnique, &col, &prefix, &kind); err != nil {
			return fmt.Errorf("read keys of %s in %s: %w", t.Name, d, err)
		}
		if nonUnique == 0 && rowEnd[strings.ToLower(col)] {
			continue
		}
		if len(all) == 0 || all[len(all)-1].Name != name {
			all = append(all, Index{Name: name, Unique: nonUnique == 0})
		}
		ix := &all[len(all)-1]
		switch {
		case kind == "FULLTEXT" || kind == "SPATIAL":
			ix.Kind = "a " + kind + " index"
		case kind == "HASH": // MEMORY tables, and MariaDB's unique keys on long values
			ix.Kind = "a HASH index"
		case col == "":
			ix.Kind = "an index on an expression"
		}
		ix.Prefix = ix.Prefix || prefix
		ix.Columns = append(ix.Columns, col)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read keys of %s in %s: %w", t.Name, d, err)
	}
	idx := map[string][]string{}
	var order []string
	for _, ix := range all {
		if ix.Unique && ix.Kind == "" {
			idx[ix.Name] = ix.Columns
			order = append(order, ix.Name)
		}
	}
	if err := chooseKey(t, "PRIMARY", idx, order); err != nil {
		return err
	}
	for _, ix := range all {
		t.addIndex(ix)
	}
	return nil
}

// chooseKey sets t.Key from the named unique indexes: the primary one if
// present, else the one with fewest columns, all NOT NULL.
func chooseKey(t *Table, primary string, idx map[string][]string, order []string) error {
	sort.SliceStable(order, func(i, j int) bool {
		if (order[i] == primary) != (order[j] == primary) {
			return order[i] == primary
		}
		return len(idx[order[i]]) < len(idx[order[j]])
	})
	for _, name := range order {
		var key []int
		ok := true
		for _, col := range idx[name] {
			i := -1
			for j := range t.Columns {
				if strings.EqualFold(t.Columns[j].Name, col) {
					i = j
				}
			}
			if i < 0 || (name != primary && t.Columns[i].Nullable) {
				ok = false
				break
			}
			key = append(key, i)
		}
		if ok && len(key) > 0 {
			t.Key, t.KeyName = key, name
			return nil
		}
	}
	return nil
}

// quoteMySQL quotes an identifier with backticks.
func quoteMySQL(id string) string {
	return "`" + strings.ReplaceAll(id, "`", "``") + "`"
}

// badTimes counts MySQL's zero dates (a zero year, month or day) and TIMEs
// outside a day, which stricter databases refuse.
func (mysqlDialect) badTimes(ctx context.Context, d *DB, t *Table, c *Column, where string) (int64, string, error) {
	q := quoteMySQL(c.Name)
	var cond, what string
	switch c.Family {
	case FamDate, FamDateTime, FamTimestamp:
		cond, what = "(YEAR("+q+") = 0 OR MONTH("+q+") = 0 OR DAYOFMONTH("+q+") = 0)", "zero dates (a zero year, month or day)"
	case FamTime:
		cond, what = "("+q+" < '00:00:00' OR "+q+" >= '24:00:00')", "times outside 00:00:00–23:59:59"
	default:
		return 0, "", nil
	}
	if where != "" {
		cond += " AND (" + where + ")"
	}
	var n int64
	err := d.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+quoteMySQL(t.Name)+" WHERE "+cond).Scan(&n)
	return n, what, err
}

// storageIDs are InnoDB's ids of tables, which TRUNCATE and every rebuild
// renew, by name. InnoDB names tables "<database>/<table>" in its file-name
// encoding, which is spelled here for names in ASCII; a name outside ASCII
// (or a partitioned table) is not found and goes unwatched; reading the ids
// needs PROCESS. One query for all: the view reads InnoDB's whole
// dictionary.
func (mysqlDialect) storageIDs(ctx context.Context, d *DB, tables []string) (map[string]string, error) {
	view := "INNODB_TABLES" // MySQL 8
	if d.isMariaDB(ctx) {
		view = "INNODB_SYS_TABLES"
	}
	var db sql.NullString
	if err := d.db.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&db); err != nil {
		return nil, fmt.Errorf("read the storage ids of tables in %s: %w", d, err)
	}
	dbFile, ok := innodbFileName(db.String)
	if !ok {
		return nil, nil
	}
	byFile := map[string]string{} // InnoDB's spelling to the table's
	var names []string
	var args []any
	for _, t := range tables {
		if f, ok := innodbFileName(t); ok {
			byFile[dbFile+"/"+f] = t
			names, args = append(names, "?"), append(args, dbFile+"/"+f)
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	rows, err := d.db.QueryContext(ctx, "SELECT NAME, TABLE_ID FROM information_schema."+view+
		" WHERE NAME IN ("+strings.Join(names, ", ")+")", args...)
	var me *mysql.MySQLError
	if errors.As(err, &me) && me.Number == 1227 { // PROCESS privilege needed
		return nil, errStorageHidden
	}
	ids, err := storageRows(rows, err, d)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(ids))
	for f, t := range byFile { // NAME compares without case: users and Users, in shop and Shop, may all answer
		if id, ok := ids[f]; ok {
			out[t] = id
			continue
		}
		var found []string // lower_case_table_names 2 keeps InnoDB's names in lower case
		for g, id := range ids {
			if strings.EqualFold(g, f) {
				found = append(found, id)
			}
		}
		if len(found) == 1 {
			out[t] = found[0]
		}
	}
	return out, nil
}

// innodbFileName is name as InnoDB's dictionary spells it: letters, digits
// and '_' as they are, any other ASCII character as "@" and its code in
// four hex digits. ok is false for a name outside ASCII, whose encoding
// this does not spell.
func innodbFileName(name string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c >= 0x80 || c == 0:
			return "", false
		case c >= '0' && c <= '9', c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c == '_':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "@%04x", c)
		}
	}
	return b.String(), true
}

func (mysqlDialect) tableComment(ctx context.Context, d *DB, name string) (string, error) {
	var c string
	err := d.db.QueryRowContext(ctx, "SELECT COALESCE(TABLE_COMMENT, '') FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", name).Scan(&c)
	if isNoRows(err) {
		return "", nil
	}
	return c, err
}

// createChangeLog: the comment is a table option, so no ALTER privilege
// is needed beyond CREATE.
func (mysqlDialect) createChangeLog(name, comment string) []string {
	return []string{"CREATE TABLE IF NOT EXISTS " + name + mysqlSQL.changeLog + " COMMENT=" + sqlString(comment)}
}

// ownTypeProblems: MySQL's types are all built in.
func (mysqlDialect) ownTypeProblems(context.Context, *DB, *DB, *TablePlan, bool, *Plan) error {
	return nil
}
