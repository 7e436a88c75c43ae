package engine

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
)

// mysqlDialect is MySQL and MariaDB.
type mysqlDialect struct{}

func (mysqlDialect) name() string                      { return MySQL }
func (mysqlDialect) quote(id string) string            { return quoteMySQL(id) }
func (mysqlDialect) rowValues() bool                   { return false }
func (mysqlDialect) bytesAreBlobs() bool               { return false }
func (mysqlDialect) jsonArray(args string) string      { return "JSON_ARRAY(" + args + ")" }
func (mysqlDialect) distinct(a, b string) string       { return "NOT (" + a + " <=> " + b + ")" }
func (mysqlDialect) hexKey(e string) string            { return "HEX(" + e + ")" }
func (mysqlDialect) sql() *dialectSQL                  { return &mysqlSQL }
func (mysqlDialect) implicitUniques(*Table) [][]string { return nil }
func (mysqlDialect) rowidEstimate(context.Context, *DB, *Table) int64 {
	return -1
}
func (mysqlDialect) preparedRows(ncols int) int { return preparedRunRows(ncols) }
func (mysqlDialect) parallelWrites() bool       { return true }

// copyWriters: with one writer the server waits for runway between
// statements about a fifth of the time; a second keeps it busy. On the
// 2-core bench a 3M-row table with a two-column key copied in 7.3–8.3 s
// against 10.1–10.7 s, orders (AUTO_INCREMENT, whose counter the writers
// share) in 5.0 s against 5.2–5.6 s; a third gained nothing.
func (mysqlDialect) copyWriters() int { return 2 }

func (mysqlDialect) triggerWhen(listed string) string   { return listed }
func (mysqlDialect) foreignKeyLabel(name string) string { return name }
func (mysqlDialect) foreignKeyNote() string             { return "" }
func (mysqlDialect) bind(q string) string               { return q }
func (mysqlDialect) chunkWrites() string                { return "upserted" }
func (mysqlDialect) strictTimes() bool                  { return false }
func (mysqlDialect) boundedTimes() bool                 { return true }
func (mysqlDialect) loadRows(context.Context, *sql.Conn, *Upserter, *Batch) (bool, error) {
	return false, nil
}

// cannotHold: DECIMAL has at most 65 digits, 30 of them after the point.
func (mysqlDialect) cannotHold(c Column) string {
	switch {
	case c.Family == FamDecimal && c.Unbounded:
		return "a numeric without precision can hold more digits than MySQL's DECIMAL(65,30); declare its precision on the source"
	case c.Family == FamDecimal && (c.Precision > 65 || c.Scale > 30):
		return "MySQL's DECIMAL holds at most 65 digits, 30 after the point"
	}
	return ""
}
func (mysqlDialect) createTrigger(name, table, event, body string) []string {
	return []string{"CREATE TRIGGER " + name + " AFTER " + event + " ON " + table + " FOR EACH ROW BEGIN " + body + " END"}
}
func (mysqlDialect) dropOwnTrigger(name string) string { return "DROP TRIGGER IF EXISTS " + name }
func (mysqlDialect) dropTrigger(name, _ string) string { return "DROP TRIGGER " + name }
func (mysqlDialect) attaches() bool                    { return false }
func (mysqlDialect) ownTypes() bool                    { return true }

// readExpr widens FLOAT to DOUBLE: the server prints FLOAT with 6 digits.
func (mysqlDialect) readExpr(c *Column, q string) string {
	switch {
	case c.Family == FamFloat:
		return q + "*1e0"
	case asciiText(c):
		// MariaDB keeps bytes 0x80–0xFF in an ascii column unchecked, and
		// converting them for the connection would turn each into '?'.
		return "CAST(" + q + " AS BINARY)"
	}
	return q
}

// asciiText reports whether c is text in MySQL's ascii character set,
// which runway reads and writes as the bytes stored.
func asciiText(c *Column) bool { return c.Family == FamText && c.Charset == "ascii" }

// appendKeyLiteral writes an ascii key as ascii text spelled in hex, so
// that bytes 0x80–0xFF compare under the column's collation as stored, and
// a BIT key, read as its bytes, as the number it is: a byte string would be
// compared with it as a decimal number, with a warning.
func (d mysqlDialect) appendKeyLiteral(dst []byte, c *Column, v Value) []byte {
	switch {
	case asciiText(c) && v.Kind == KindText:
		dst = append(dst, "_ascii X'"...)
		dst = hex.AppendEncode(dst, v.B)
		return append(dst, '\'')
	case c.Family == FamBit && v.Kind == KindBytes && len(v.B) <= 8:
		var n uint64
		for _, b := range v.B {
			n = n<<8 | uint64(b)
		}
		return strconv.AppendUint(dst, n, 10)
	}
	return d.appendLiteral(dst, v)
}

func (mysqlDialect) describe(ctx context.Context, d *DB, name string) (*Table, error) {
	return describeMySQL(ctx, d, name)
}

func (mysqlDialect) foldsCase(ctx context.Context, d *DB) (string, error) {
	var lower int
	if err := d.db.QueryRowContext(ctx, "SELECT @@lower_case_table_names").Scan(&lower); err != nil {
		return "", fmt.Errorf("read lower_case_table_names of %s: %w", d, err)
	}
	if lower != 0 {
		return fmt.Sprintf("the server has lower_case_table_names = %d", lower), nil
	}
	return "", nil
}

func (mysqlDialect) schema(ctx context.Context, d *DB) string {
	var schema string
	if d.db.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&schema) == nil {
		return schema
	}
	return ""
}

func (mysqlDialect) qualifier(d *DB) string {
	if i := strings.LastIndexByte(d.ident, '/'); i >= 0 {
		return d.ident[i+1:]
	}
	return ""
}

// estimate reads the server's statistics, which know nothing of a filter.
func (mysqlDialect) estimate(ctx context.Context, d *DB, t *Table, where string) (int64, bool) {
	if where != "" {
		return 0, false
	}
	var n int64
	err := d.db.QueryRowContext(ctx, "SELECT COALESCE(TABLE_ROWS, 0) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", t.Name).Scan(&n)
	return n, err == nil
}

func (mysqlDialect) mariaDB(ctx context.Context, d *DB) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.flavorOK {
		var v string
		if err := d.db.QueryRowContext(ctx, "SELECT VERSION()").Scan(&v); err == nil {
			d.mariadb = strings.Contains(strings.ToLower(v), "mariadb")
			d.flavorOK = true
		}
	}
	return d.mariadb
}

func (mysqlDialect) reach(ctx context.Context, d *DB, within time.Duration) error {
	return reachServer(ctx, d, within, func(ctx context.Context, d *DB) error { return d.db.PingContext(ctx) })
}

// sameCreate defers non-unique KEYs unless foreign keys lean on them.
func (mysqlDialect) sameCreate(t *Table, quotedName string) (now, deferred []string) {
	return deferMySQLKeys(t.Create[0], quotedName)
}

func (mysqlDialect) columnDef(c Column, inKey, _ bool, dflt string) string {
	def := MySQLType(c, inKey)
	switch {
	case !c.Nullable || inKey:
		def += " NOT NULL"
		if c.Family == FamTimestamp && dflt == "" {
			// an explicit default keeps MySQL from adding ON UPDATE CURRENT_TIMESTAMP
			dflt = " DEFAULT CURRENT_TIMESTAMP" + fracArg(c.Scale)
		}
	case c.Family == FamTimestamp:
		def += " NULL"
		if dflt == "" {
			dflt = " DEFAULT NULL"
		}
	}
	return def + dflt
}

// tableOptions: a binary, no-pad collation, as SQLite compares text byte by
// byte, so keys that differ only in case or trailing spaces stay distinct.
func (mysqlDialect) tableOptions(ctx context.Context, d *DB) string {
	coll := "utf8mb4_bin"
	if d.isMariaDB(ctx) {
		coll = "utf8mb4_nopad_bin"
	}
	return " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=" + coll
}

// createSession: foreign keys may name tables that are not copied yet.
func (mysqlDialect) createSession() (set, undo string) {
	return "SET SESSION foreign_key_checks = 0", "SET SESSION foreign_key_checks = 1"
}

func (mysqlDialect) indexSession() (set, undo string) { return "", "" }

func (mysqlDialect) checkName(table, column string, d *DB) string {
	if column == "" {
		if n := len([]rune(table)); n > maxMySQLName {
			return fmt.Sprintf("%s cannot be created in %s: MySQL table names have at most %d characters, this one has %d", table, d, maxMySQLName, n)
		}
		return ""
	}
	if n := len([]rune(column)); n > maxMySQLName {
		return fmt.Sprintf("%s.%s cannot be created in %s: MySQL column names have at most %d characters, this one has %d", table, column, d, maxMySQLName, n)
	}
	return ""
}

func (mysqlDialect) upsertSet(q string) string  { return q + " = VALUES(" + q + ")" }
func (mysqlDialect) upsertKeep(q string) string { return q + " = " + q }
func (mysqlDialect) upsertSuffix(_ string, set []string) string {
	return " ON DUPLICATE KEY UPDATE " + strings.Join(set, ", ")
}

// tuneUpserter: text columns take numbers as text, ascii columns the bytes
// read (see asciiText); statements of about 1
// MiB keep the server's parser busy without large packets, never above
// max_allowed_packet.
func (mysqlDialect) tuneUpserter(ctx context.Context, d *DB, u *Upserter, t *Table, cols []string) {
	u.asText = make([]bool, len(cols))
	u.asBytes = make([]bool, len(cols))
	for i, name := range cols {
		if c := t.Column(name); c != nil && (c.Family == FamText || c.Family == FamJSON) {
			u.asText[i] = true
			u.asBytes[i] = asciiText(c)
		}
	}
	u.lax, u.names = laxEnums(t, cols), cols
	u.maxPacket = d.packetLimit(ctx)
	u.MaxStatement = min(1<<20, u.maxPacket/2)
	u.PreparedRows = preparedRunRows(len(cols))
}

func (mysqlDialect) writerSession(ctx context.Context, conn *sql.Conn, indexed, rawText bool) error {
	return mysqlWriterSession(ctx, conn, rawText)
}

func (mysqlDialect) updateTrigger(insNew, insOld, _, _, changed string) string {
	return insNew + "; IF " + changed + " THEN " + insOld + "; END IF;"
}

var mysqlSQL = dialectSQL{
	tableExists: "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
	lookupTable: `SELECT TABLE_NAME, TABLE_TYPE, COALESCE(TABLE_ROWS, -1) FROM information_schema.TABLES
			WHERE TABLE_SCHEMA = DATABASE() AND LOWER(TABLE_NAME) = LOWER(?)`,
	// A MariaDB system-versioned table's ROW END column, which the server
	// adds to every unique key, is left out as in mysqlKey.
	uniqueKeys: `SELECT s.INDEX_NAME, s.COLUMN_NAME FROM information_schema.STATISTICS s
			WHERE s.TABLE_SCHEMA = DATABASE() AND s.TABLE_NAME = ? AND s.NON_UNIQUE = 0
			AND NOT EXISTS (SELECT 1 FROM information_schema.COLUMNS c WHERE c.TABLE_SCHEMA = s.TABLE_SCHEMA
				AND c.TABLE_NAME = s.TABLE_NAME AND c.COLUMN_NAME = s.COLUMN_NAME AND c.GENERATION_EXPRESSION = 'ROW END')
			ORDER BY s.INDEX_NAME, s.SEQ_IN_INDEX`,
	triggerExists:  "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME = ?",
	runwayTriggers: "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME LIKE 'runway\\_%'",
	tableTriggers: `SELECT TRIGGER_NAME, CONCAT(ACTION_TIMING, ' ', EVENT_MANIPULATION) FROM information_schema.TRIGGERS
			WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ? ORDER BY TRIGGER_NAME`,
	foreignKeys: `SELECT CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE
			WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND REFERENCED_TABLE_NAME IS NOT NULL ORDER BY CONSTRAINT_NAME, ORDINAL_POSITION`,
	referencing: `SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE
			WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME = ?
			ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`,
	changeLogAge:  "TIMESTAMPDIFF(MICROSECOND, changed_at, NOW(6))",
	changeLogTime: "CAST(changed_at AS CHAR)", // every session is in UTC
	checkpointTable: "CREATE TABLE IF NOT EXISTS " + quoteMySQL(CheckpointTable) + ` (
  job VARCHAR(191) NOT NULL,
  tbl VARCHAR(191) NOT NULL,
  last_key TEXT NULL,
  rows_done BIGINT NOT NULL DEFAULT 0,
  chunks BIGINT NOT NULL DEFAULT 0,
  done TINYINT NOT NULL DEFAULT 0,
  pending TEXT NULL,
  updated_at VARCHAR(32) NOT NULL,
  PRIMARY KEY (job, tbl)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
	storageTable: "CREATE TABLE IF NOT EXISTS " + quoteMySQL(StorageTable) + ` (
  source VARCHAR(32) NOT NULL,
  tbl VARCHAR(191) NOT NULL,
  ids VARCHAR(100) NOT NULL,
  updated_at VARCHAR(32) NOT NULL,
  PRIMARY KEY (source, tbl)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
	catchupTable: "CREATE TABLE IF NOT EXISTS " + quoteMySQL(CatchupTable) + ` (
  job VARCHAR(191) NOT NULL PRIMARY KEY,
  position LONGTEXT NOT NULL,
  applied BIGINT NOT NULL DEFAULT 0,
  updated_at VARCHAR(32) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
	changeLog: ` (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  table_name VARCHAR(64) NOT NULL,
  pk TEXT NOT NULL,
  changed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
}

// mysqlWriterSession prepares a MySQL target connection for bulk writing.
func mysqlWriterSession(ctx context.Context, conn *sql.Conn, rawText bool) error {
	// Foreign key checks off: the rows come from a table that satisfied
	// them, written table by table. Unique checks stay on: a target whose
	// unique key compares more loosely than the source's, or a value that
	// moved on a live source, would otherwise leave duplicates in a unique
	// index unseen (InnoDB may skip the check when it buffers the change).
	// READ COMMITTED avoids gap locks between parallel writers.
	stmts := []string{
		"SET SESSION foreign_key_checks = 0",
		"SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
	}
	if rawText {
		// The values are UTF-8 already and every text column of the target
		// stores UTF-8: as binary strings the server skips converting and
		// measuring each one (a tenth of its CPU on the bench), and still
		// refuses a byte sequence that is not valid in the column.
		stmts = append(stmts, "SET SESSION character_set_client = binary")
	}
	for _, q := range stmts {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// appendLiteral writes v as a literal that stores exactly v.
func (mysqlDialect) appendLiteral(dst []byte, v Value) []byte {
	switch v.Kind {
	case KindNull:
		return append(dst, "NULL"...)
	case KindInt, KindUint, KindFloat, KindDecimal:
		if isNumber(v.B) {
			return append(dst, v.B...)
		}
		return appendMySQLString(dst, v.B)
	case KindBytes:
		return appendHex(dst, v.B)
	default:
		return appendMySQLString(dst, v.B)
	}
}

// mysqlEscape marks the bytes that need a backslash inside a quoted string.
var mysqlEscape = [256]byte{0: '0', '\'': '\'', '\\': '\\', '\n': 'n', '\r': 'r', 0x1a: 'Z'}

// appendMySQLString quotes b for MySQL with backslash escapes (the session
// sql_mode set by Open never has NO_BACKSLASH_ESCAPES).
func appendMySQLString(dst, b []byte) []byte {
	dst = append(dst, '\'')
	start := 0
	for i, c := range b {
		if e := mysqlEscape[c]; e != 0 {
			dst = append(dst, b[start:i]...)
			dst = append(dst, '\\', e)
			start = i + 1
		}
	}
	dst = append(dst, b[start:]...)
	return append(dst, '\'')
}

// mysqlRefusal names what a MySQL server that answered said no to ("" when
// err is not MySQL's).
func mysqlRefusal(err error) string {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1045, 1698, 1044, 1130, 1129, 1251:
			return "login refused"
		case 1049:
			return "no such database"
		}
	}
	return ""
}

// mysqlTransient classifies MySQL's own errors; ok is false for others.
func mysqlTransient(err error) (transient, ok bool) {
	if errors.Is(err, mysql.ErrInvalidConn) {
		return true, true
	}
	var me *mysql.MySQLError
	if !errors.As(err, &me) {
		return false, false
	}
	switch me.Number {
	case 1205, // lock wait timeout
		1213,       // deadlock
		1053,       // server shutdown in progress
		1317,       // query interrupted
		1927,       // connection killed (MariaDB)
		2006, 2013, // server gone away, lost connection
		1040,       // too many connections
		1159, 1161: // network read/write timeout
		return true, true
	}
	return false, true
}

// mysqlServerText is a MySQL error's own message ("" for others).
func mysqlServerText(err error) string {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Message
	}
	if errors.Is(err, mysql.ErrPktTooLarge) {
		// the driver's words name its own setting, which runway leaves to the server
		return "the row is larger than the target server's max_allowed_packet allows in one statement: raise max_allowed_packet there (SET GLOBAL max_allowed_packet, up to 1G) and copy again"
	}
	return ""
}

// indexExists: error 1061, duplicate key name.
func (mysqlDialect) indexExists(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && me.Number == 1061
}

// timestampKey logs a TIMESTAMP key in UTC, as runway's sessions read it:
// the column's own text is in the writing session's time zone, which an
// application need not have set to UTC. UNIX_TIMESTAMP of the column is
// its instant, whatever that zone; the zero date, which a lax sql_mode
// lets in, has none (0, or NULL inside a trigger) and is logged as itself.
func (mysqlDialect) timestampKey(e string, scale int) string {
	zero := "0000-00-00 00:00:00"
	if scale > 0 {
		zero += "." + strings.Repeat("0", scale)
	}
	return fmt.Sprintf("IF(IFNULL(UNIX_TIMESTAMP(%[1]s), 0) = 0, '%[2]s', CAST(TIMESTAMPADD(MICROSECOND, UNIX_TIMESTAMP(%[1]s) * 1000000, '1970-01-01 00:00:00') AS DATETIME(%[3]d)))",
		e, zero, scale)
}
