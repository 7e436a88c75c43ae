package engine

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// sqliteDialect is SQLite through modernc.org/sqlite.
type sqliteDialect struct{}

func (sqliteDialect) name() string                        { return SQLite }
func (sqliteDialect) quote(id string) string              { return quoteSQLite(id) }
func (sqliteDialect) rowValues() bool                     { return true }
func (sqliteDialect) bytesAreBlobs() bool                 { return true }
func (sqliteDialect) jsonArray(args string) string        { return "json_array(" + args + ")" }
func (sqliteDialect) distinct(a, b string) string         { return a + " IS NOT " + b }
func (sqliteDialect) hexKey(e string) string              { return "lower(hex(" + e + "))" }
func (sqliteDialect) timestampKey(e string, _ int) string { return e } // no time zones
func (sqliteDialect) sql() *dialectSQL                    { return &sqliteSQL }
func (sqliteDialect) schema(context.Context, *DB) string  { return "" }
func (sqliteDialect) qualifier(*DB) string                { return "" }
func (sqliteDialect) mariaDB(context.Context, *DB) bool   { return false }
func (sqliteDialect) preparedRows(int) int                { return 0 }
func (sqliteDialect) parallelWrites() bool                { return false }

// copyWriters: one; a second would only wait on the file lock.
func (sqliteDialect) copyWriters() int { return 1 }

func (sqliteDialect) foreignKeyLabel(name string) string { return "#" + name } // SQLite foreign keys have no name
func (sqliteDialect) checksums() serverChecksum          { return nil }
func (sqliteDialect) attaches() bool                     { return true }
func (sqliteDialect) ownTypes() bool                     { return false }
func (sqliteDialect) bind(q string) string               { return q }
func (sqliteDialect) chunkWrites() string                { return "upserted" }
func (sqliteDialect) cannotHold(Column) string           { return "" }
func (sqliteDialect) strictTimes() bool                  { return false }
func (sqliteDialect) boundedTimes() bool                 { return false }
func (sqliteDialect) loadRows(context.Context, *sql.Conn, *Upserter, *Batch) (bool, error) {
	return false, nil
}

// badTimes: SQLite dates are text, checked by the target as it writes.
func (sqliteDialect) badTimes(context.Context, *DB, *Table, *Column, string) (int64, string, error) {
	return 0, "", nil
}
func (sqliteDialect) createTrigger(name, table, event, body string) []string {
	return []string{"CREATE TRIGGER " + name + " AFTER " + event + " ON " + table + " FOR EACH ROW BEGIN " + body + " END"}
}
func (sqliteDialect) dropOwnTrigger(name string) string        { return "DROP TRIGGER IF EXISTS " + name }
func (sqliteDialect) dropTrigger(name, _ string) string        { return "DROP TRIGGER " + name }
func (sqliteDialect) upsertSet(q string) string                { return q + " = excluded." + q }
func (sqliteDialect) upsertKeep(q string) string               { return q + " = excluded." + q }
func (sqliteDialect) tableOptions(context.Context, *DB) string { return "" }
func (sqliteDialect) createSession() (set, undo string)        { return "", "" }

// reach: a SQLite database needs no contact.
func (sqliteDialect) reach(context.Context, *DB, time.Duration) error { return nil }

// readExpr reads through a no-op "+" so that the driver does not parse date texts.
func (sqliteDialect) readExpr(_ *Column, q string) string { return "+" + q }

func (sqliteDialect) describe(ctx context.Context, d *DB, name string) (*Table, error) {
	return describeSQLite(ctx, d, name)
}

// implicitUniques: a rowid alias primary key has no index of its own.
func (sqliteDialect) implicitUniques(t *Table) [][]string {
	if t.KeyName == "PRIMARY" {
		return [][]string{t.KeyColumns()}
	}
	return nil
}

func (sqliteDialect) foldsCase(context.Context, *DB) (string, error) {
	return "SQLite table names ignore case", nil
}

func (sqliteDialect) estimate(ctx context.Context, d *DB, t *Table, where string) (int64, bool) {
	n, err := d.Count(ctx, t, nil, where)
	return n, err == nil
}

// rowidEstimate costs two index lookups where COUNT(*) reads the table.
func (sqliteDialect) rowidEstimate(ctx context.Context, d *DB, t *Table) int64 {
	var n int64
	err := d.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(rowid) - MIN(rowid) + 1, 0) FROM "+d.Quote(t.Name)).Scan(&n)
	if err != nil {
		return -1
	}
	return n
}

// sameCreate defers the non-unique indexes.
func (sqliteDialect) sameCreate(t *Table, _ string) (now, deferred []string) {
	now = append(now, t.Create[0])
	for _, q := range t.Create[1:] {
		if createIndexRE.MatchString(q) {
			deferred = append(deferred, createIndexRE.ReplaceAllString(q, "CREATE INDEX IF NOT EXISTS "))
		} else {
			now = append(now, q)
		}
	}
	return now, deferred
}

func (sqliteDialect) columnDef(c Column, inKey, soleIntKey bool, dflt string) string {
	def := SQLiteType(c, soleIntKey)
	if !c.Nullable || inKey {
		def += " NOT NULL"
	}
	return def + dflt
}

// indexSession: SQLite sorts index entries in memory up to the page cache
// size before it spills to temporary files; beyond a few MiB a larger cache
// measured slower, not faster.
func (sqliteDialect) indexSession() (set, undo string) {
	return "PRAGMA cache_size = -4096", "PRAGMA cache_size = -2000"
}

func (sqliteDialect) checkName(table, column string, d *DB) string {
	if column == "" && strings.HasPrefix(strings.ToLower(table), "sqlite_") {
		return fmt.Sprintf("%s cannot be created in %s: names starting with sqlite_ are reserved for SQLite's own tables", table, d)
	}
	return ""
}

func (sqliteDialect) upsertSuffix(quotedKey string, set []string) string {
	return " ON CONFLICT (" + quotedKey + ") DO UPDATE SET " + strings.Join(set, ", ")
}

func (sqliteDialect) tuneUpserter(_ context.Context, _ *DB, u *Upserter, _ *Table, _ []string) {
	u.MaxStatement = 256 << 10
}

func (sqliteDialect) writerSession(ctx context.Context, conn *sql.Conn, indexed, _ bool) error {
	return sqliteWriterSession(ctx, conn, indexed)
}

// updateTrigger: SQLite triggers have no IF; the old key is inserted by a
// SELECT whose WHERE is the condition.
func (sqliteDialect) updateTrigger(insNew, _, logInsert, oldKey, changed string) string {
	return insNew + "; " + logInsert + " SELECT " + oldKey + " WHERE " + changed + ";"
}

func (sqliteDialect) triggerWhen(listed string) string { return sqliteWhen(listed) }

func (sqliteDialect) foreignKeyNote() string {
	return "foreign keys: not enforced while writing (runway's SQLite connections keep foreign_keys off)"
}

var sqliteSQL = dialectSQL{
	tableExists: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE",
	lookupTable: `SELECT name, CASE type WHEN 'view' THEN 'VIEW' ELSE 'BASE TABLE' END, -1 FROM sqlite_master
			WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE`,
	uniqueKeys: `SELECT il.name, COALESCE(ii.name, '') FROM pragma_index_list(?1) AS il, pragma_index_info(il.name) AS ii
			WHERE il."unique" = 1 AND il.partial = 0 ORDER BY il.name, ii.seqno`,
	triggerExists:  "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?",
	runwayTriggers: "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'runway\\_%' ESCAPE '\\'",
	tableTriggers:  `SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? COLLATE NOCASE ORDER BY name`,
	foreignKeys:    `SELECT CAST(id AS TEXT), "from", "table", COALESCE("to", '') FROM pragma_foreign_key_list(?) ORDER BY id, seq`,
	referencing: `SELECT m.name, CAST(f.id AS TEXT), f."from", COALESCE(f."to", '') FROM sqlite_master m, pragma_foreign_key_list(m.name) f
			WHERE m.type = 'table' AND f."table" = ? COLLATE NOCASE ORDER BY m.name, f.id, f.seq`,
	changeLogAge:  "CAST(ROUND((julianday('now') - julianday(changed_at)) * 86400000000) AS INTEGER)",
	changeLogTime: "CAST(changed_at AS TEXT)",
	checkpointTable: "CREATE TABLE IF NOT EXISTS " + quoteSQLite(CheckpointTable) + ` (
  job TEXT NOT NULL,
  tbl TEXT NOT NULL,
  last_key TEXT,
  rows_done INTEGER NOT NULL DEFAULT 0,
  chunks INTEGER NOT NULL DEFAULT 0,
  done INTEGER NOT NULL DEFAULT 0,
  pending TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (job, tbl)
)`,
	storageTable: "CREATE TABLE IF NOT EXISTS " + quoteSQLite(StorageTable) + ` (
  source TEXT NOT NULL,
  tbl TEXT NOT NULL,
  ids TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (source, tbl)
)`,
	catchupTable: "CREATE TABLE IF NOT EXISTS " + quoteSQLite(CatchupTable) + ` (
  job TEXT NOT NULL PRIMARY KEY,
  position TEXT NOT NULL,
  applied INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
)`,
	changeLog: ` (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  table_name TEXT NOT NULL,
  pk TEXT NOT NULL,
  changed_at DATETIME(6) NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
)`,
}

// appendLiteral writes v as a literal that stores exactly v.
// appendKeyLiteral: a key value is written as any other.
func (d sqliteDialect) appendKeyLiteral(dst []byte, _ *Column, v Value) []byte {
	return d.appendLiteral(dst, v)
}

func (sqliteDialect) appendLiteral(dst []byte, v Value) []byte {
	switch v.Kind {
	case KindNull:
		return append(dst, "NULL"...)
	case KindInt:
		if isNumber(v.B) {
			return append(dst, v.B...)
		}
	case KindUint:
		// Above int64 SQLite would turn the digits into a REAL; as text they stay exact.
		if _, err := strconv.ParseInt(string(v.B), 10, 64); err == nil {
			return append(dst, v.B...)
		}
	case KindFloat:
		if isNumber(v.B) {
			dst = append(dst, v.B...)
			if !bytes.ContainsAny(v.B, ".eE") {
				dst = append(dst, ".0"...) // keeps the REAL storage class
			}
			return dst
		}
	case KindBytes:
		return appendHex(dst, v.B)
	}
	// Text, decimals (a NUMERIC affinity would round them through a double),
	// and anything that is not plain digits.
	return appendSQLiteString(dst, v.B)
}

// appendSQLiteString quotes b for SQLite; a string holding a NUL byte, which
// SQL text cannot carry, is written as a hex blob cast to text.
func appendSQLiteString(dst, b []byte) []byte {
	if bytes.IndexByte(b, 0) >= 0 {
		dst = append(dst, "CAST("...)
		dst = appendHex(dst, b)
		return append(dst, " AS TEXT)"...)
	}
	return appendQuoted(dst, b)
}

// indexExists: deferred indexes are created IF NOT EXISTS.
func (sqliteDialect) indexExists(error) bool { return false }
