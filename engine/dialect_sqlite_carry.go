package engine

// What an SQLite table created from another engine takes of its definition.

func (sqliteDialect) createsFromOwnText() bool           { return true }
func (sqliteDialect) title() string                      { return "SQLite" }
func (sqliteDialect) nowDefault(Column) (string, string) { return "CURRENT_TIMESTAMP", "" }
func (sqliteDialect) indexMisfit([]Column) string        { return "" }
func (sqliteDialect) indexNaming() (int, bool)           { return 0, false }

// numbersKey: an INTEGER PRIMARY KEY is the rowid, numbered by SQLite.
func (sqliteDialect) numbersKey(c Column) bool { return SQLiteType(c, true) == "INTEGER" }

// literalDefault: decimals are stored as text, and a numeric literal
// would be stored as a REAL; 64-bit unsigned integers are stored as bytes.
func (sqliteDialect) literalDefault(c Column, d Default) (string, string) {
	switch {
	case c.Family == FamUint && SQLiteType(c, false) == "UNSIGNED64 BLOB":
		return "", "64-bit unsigned integers are stored as bytes in SQLite"
	case d.Kind == DefaultNumber && c.Family == FamDecimal:
		return " DEFAULT " + sqlString(atScale(d.Value, c.Scale)), ""
	case d.Kind == DefaultNumber && numeric(c.Family):
		return " DEFAULT " + d.Value, ""
	}
	return " DEFAULT " + sqlString(d.Value), ""
}

func (sqliteDialect) addIndexes(d *DB, table string, ixs []Index) []string {
	out := make([]string, len(ixs))
	for i, ix := range ixs {
		out[i] = "CREATE " + uniqueWord(ix) + "INDEX IF NOT EXISTS " + d.Quote(ix.Name) + " ON " + table + " (" + d.quoteList(ix.Columns) + ")"
	}
	return out
}

func (sqliteDialect) triggersSeeCascades() bool { return true }
