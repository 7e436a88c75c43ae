package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Family is the engine-neutral shape of a column type; it decides how values
// are read and how the type is translated when a table is created.
type Family uint8

// Column type families.
const (
	FamOther     Family = iota
	FamInt              // signed integer
	FamUint             // unsigned integer
	FamFloat            // single precision float (MySQL FLOAT)
	FamDouble           // double precision float
	FamDecimal          // exact decimal
	FamText             // character string
	FamBytes            // byte string
	FamDate             // date
	FamDateTime         // date and time without zone
	FamTimestamp        // MySQL TIMESTAMP (UTC instant)
	FamTime             // time of day or duration
	FamYear             // MySQL YEAR
	FamJSON             // JSON document
	FamBit              // MySQL BIT(n)
	FamBool             // boolean stored as integer
)

var familyNames = [...]string{"other", "int", "uint", "float", "double", "decimal", "text", "bytes",
	"date", "datetime", "timestamp", "time", "year", "json", "bit", "bool"}

// String names the family, e.g. "decimal".
func (f Family) String() string {
	if int(f) < len(familyNames) {
		return familyNames[f]
	}
	return "family?"
}

// Column is one column of a table.
type Column struct {
	Name      string
	Type      string // declared type as the database reports it, e.g. "decimal(20,6)", "DATETIME"
	Family    Family
	Nullable  bool
	Unsigned  bool
	Length    int64   // characters for text, bytes for binary; 0 when unbounded or unknown
	Precision int     // decimal digits, or bits for BIT
	Scale     int     // decimal scale, or fractional-second digits for time types
	Generated bool    // computed by the database; never written
	Charset   string  // MySQL character set of a string column, e.g. "utf8mb4"; "" otherwise
	Unbounded bool    // a decimal declared without precision that may hold any number of digits (PostgreSQL numeric)
	Default   Default // the column's default, in the form runway carries across engines
	// CastType is, on PostgreSQL, the column's type qualified and without
	// modifiers (pg_catalog.date): a quoted literal cast to it compares as
	// the column does, where a bare one in a VALUES list would be text.
	CastType string
	// pgEnum is, on PostgreSQL, the enum type of an enum column or of an
	// array of enums, as format_type names it: a table created in another
	// PostgreSQL database creates it where it is missing.
	pgEnum string
}

// Table is the shape of a table: its columns in order and the key that
// orders and identifies its rows.
type Table struct {
	Name    string
	Columns []Column
	Key     []int  // indexes into Columns of the key columns, in key order
	KeyName string // "PRIMARY" or the name of the unique NOT NULL index used
	// Unique lists every unique key (column names), filled for targets only.
	Unique [][]string
	// cascades, filled with Unique, are the foreign keys that a delete by
	// runway's writers acts through, and cascadesWhy says why they are in
	// force (see cascade_guard.go).
	cascades    []cascadeRef
	cascadesWhy string
	// Create is the statement that creates the table (and, for SQLite, its
	// indexes, one statement each) as the database itself reports it.
	Create []string
	// Indexes are the secondary indexes besides the key, as carried to a
	// table created on another engine.
	Indexes []Index
}

// ErrNoTable is returned (wrapped) by DB.Table when the table does not exist.
var ErrNoTable = errors.New("no such table")

// ErrNoKey is returned (wrapped) by DB.Table when the table has neither a
// primary key nor a unique key over NOT NULL columns.
var ErrNoKey = errors.New("no primary key or unique NOT NULL key")

// Table reads the shape of table name from the catalog. A table without a
// primary key or unique NOT NULL key is refused with ErrNoKey.
func (d *DB) Table(ctx context.Context, name string) (*Table, error) {
	t, err := d.describe(ctx, name)
	if err != nil {
		return nil, err
	}
	if len(t.Key) == 0 {
		return t, fmt.Errorf("table %s in %s: %w; engines need one to order and identify rows", name, d, ErrNoKey)
	}
	return t, nil
}

func (d *DB) describe(ctx context.Context, name string) (*Table, error) {
	if name == "" || strings.ContainsAny(name, "\x00") {
		return nil, fmt.Errorf("table %q: invalid name", name)
	}
	return d.dialect.describe(ctx, d, name)
}

// Exists reports whether table name exists.
func (d *DB) Exists(ctx context.Context, name string) (bool, error) {
	var n int
	if err := d.db.QueryRowContext(ctx, d.dialect.sql().tableExists, name).Scan(&n); err != nil {
		return false, fmt.Errorf("look up table %s in %s: %w", name, d, err)
	}
	return n > 0, nil
}

// Column returns the column named name (case-insensitive), or nil.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if strings.EqualFold(t.Columns[i].Name, name) {
			return &t.Columns[i]
		}
	}
	return nil
}

// KeyColumns are the names of the key columns in key order.
func (t *Table) KeyColumns() []string {
	out := make([]string, len(t.Key))
	for i, k := range t.Key {
		out[i] = t.Columns[k].Name
	}
	return out
}

// Copied are the indexes of the columns a copy reads and writes: all but
// generated ones.
func (t *Table) Copied() []int {
	var out []int
	for i, c := range t.Columns {
		if !c.Generated {
			out = append(out, i)
		}
	}
	return out
}

// isKey reports whether column i is part of the key.
func (t *Table) isKey(i int) bool {
	for _, k := range t.Key {
		if k == i {
			return true
		}
	}
	return false
}
