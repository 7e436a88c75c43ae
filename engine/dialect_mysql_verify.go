package engine

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// mysqlDialect checksums chunks on the server: a chunk's checksum is COUNT(*)
// and the exact SUM of the first 64 bits of SHA1 over each row's text.
func (mysqlDialect) checksums() serverChecksum { return mysqlDialect{} }

func (mysqlDialect) hashHex(rowText string) string { return "LEFT(SHA1(" + rowText + "),16)" }

func (mysqlDialect) hashSum(rowText string) string {
	return "COALESCE(SUM(CAST(CONV(LEFT(SHA1(" + rowText + "),16),16,10) AS UNSIGNED)),0)"
}

// hashList with whole is the SHA1 of the chunk's row texts themselves,
// joined by 0xFE: the server then hashes each byte once, in one stream,
// which costs it about as much as building the texts (on a 3M-row table,
// 1.15 s of CPU against 1.72 s for a hash of each row's SHA1). 0xFE, like
// 0xFF, never occurs outside a length-prefixed part of a row text, and the
// NULL bitmap comes first, so the joined texts read back to exactly one
// list of rows. The texts are held whole on the server, up to
// listMaxBytes (see verify_server.go); a longer list is cut short, which listComplete finds out.
//
// Without whole it hashes the rows' SHA1s, 40 bytes a row, which a chunk
// of any row size fits: appending them costs the server far less than
// turning hex into a number to sum it (3M rows: 1.77 s against 2.44 s).
//
// Equal lists mean equal rows; the order only matters the other way.
// InnoDB reads a key range in key order.
func (mysqlDialect) hashList(rowText, _ string, whole bool) string {
	if whole {
		return "COALESCE(SHA1(GROUP_CONCAT(" + rowText + " SEPARATOR X'FE')),'')"
	}
	return "COALESCE(SHA1(GROUP_CONCAT(SHA1(" + rowText + ") SEPARATOR '')),'')"
}

// listChunkBytes is the size of row text a chunk aims at. The server
// appends the texts to one string and hashes it: past a few megabytes its
// cost per row grows (on the bench, 100,000 rows of 220 bytes took 1.46 s
// against 1.17 s in chunks of 30,000; of 85 bytes, 100,000 were as quick).
const listChunkBytes = 8 << 20

// chunkRows aims at listChunkBytes of row text from the table's average
// row length as InnoDB estimates it, within 10,000 and 100,000 rows: fewer
// costs a query per chunk, more holds more in memory to narrow a chunk.
func (mysqlDialect) chunkRows(ctx context.Context, d *DB, name string) int {
	var avg sql.NullInt64
	err := d.db.QueryRowContext(ctx, "SELECT AVG_ROW_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", name).Scan(&avg)
	if err != nil || !avg.Valid || avg.Int64 <= 0 {
		return rowsChunkRows
	}
	return int(min(max(listChunkBytes/avg.Int64, rowsChunkRows), serverChunkRows))
}

// listSession lets GROUP_CONCAT hold maxBytes, and keeps the warnings
// that tell a cut list (see mysqlChecksumWarnings) even where the server
// keeps none by default.
func (mysqlDialect) listSession(maxBytes int64) string {
	return fmt.Sprintf("SET SESSION group_concat_max_len = %d, max_error_count = GREATEST(@@max_error_count, 64)", maxBytes)
}

// listComplete tells whether the list just built on conn covered every
// row: GROUP_CONCAT warns when it drops rows ("Row N was cut"); any other
// warning fails the chunk (see checkWarnings).
func (mysqlDialect) listComplete(ctx context.Context, conn *sql.Conn, n, maxBytes int64, whole bool) (bool, error) {
	if !whole && n > maxBytes/40 {
		return false, nil
	}
	cut, err := mysqlChecksumWarnings(ctx, conn, true)
	return !cut, err
}

// checkWarnings fails when the checksum just run on conn made the server
// warn. A row text it could not build (longer than max_allowed_packet) is
// NULL with a warning, and every aggregate skips a NULL: the checksum would
// pass a row it never read.
func (mysqlDialect) checkWarnings(ctx context.Context, conn *sql.Conn) error {
	_, err := mysqlChecksumWarnings(ctx, conn, false)
	return err
}

// groupConcatCut is the code of GROUP_CONCAT's warning that it dropped rows.
const groupConcatCut = 1260

// mysqlChecksumWarnings reads the warnings of the statement just run on
// conn; neither @@warning_count nor SHOW WARNINGS clears them. cut tells
// that a list was cut short, where list allows it; any other warning is an
// error, and so are warnings the server counted but did not keep
// (max_error_count), since they cannot be told apart.
func mysqlChecksumWarnings(ctx context.Context, conn *sql.Conn, list bool) (cut bool, err error) {
	var count int
	if err := conn.QueryRowContext(ctx, "SELECT @@warning_count").Scan(&count); err != nil || count == 0 {
		return false, err
	}
	rows, err := conn.QueryContext(ctx, "SHOW WARNINGS")
	if err != nil {
		return false, err
	}
	defer rows.Close()
	kept := 0
	for rows.Next() {
		var level, msg string
		var code int
		if err := rows.Scan(&level, &code, &msg); err != nil {
			return false, err
		}
		kept++
		if list && code == groupConcatCut {
			cut = true
			continue
		}
		return false, checksumWarning(fmt.Sprintf("%d: %s", code, msg))
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	if kept < count {
		return false, checksumWarning(fmt.Sprintf("%d warnings, %d kept by max_error_count", count, kept))
	}
	return cut, nil
}

// checksumWarning is the error for a warning a checksum cannot pass over.
func checksumWarning(what string) error {
	if r := []rune(what); len(r) > 120 {
		what = string(r[:117]) + "..."
	}
	return fmt.Errorf("the server warned while checksumming (%s), so the checksum could miss a row; "+
		"--method rows compares the rows in runway instead", what)
}

// rowText is the canonical row text of t's compared columns (see
// verify_server.go). utf8 says which text columns hold UTF-8.
func (mysqlDialect) rowText(d *DB, t *Table, cols []int, utf8 map[string]bool) string {
	parts := make([]string, 0, len(cols)+1)
	var nulls []string
	for _, c := range cols {
		col := t.Columns[c]
		q := d.Quote(col.Name)
		var e string
		switch col.Family {
		case FamInt, FamUint, FamDecimal, FamDouble, FamDate, FamDateTime, FamTimestamp, FamTime, FamYear, FamBool:
			e = q
		case FamFloat:
			e = q + "*1e0"
		case FamBit:
			e = q + "+0"
		case FamJSON:
			e = q // the server prints JSON as UTF-8
		case FamText:
			e = q
			if !utf8[strings.ToLower(col.Name)] {
				e = "CONCAT(LENGTH(" + q + "),':'," + q + ")"
			}
		default:
			e = "CONCAT(LENGTH(" + q + "),':'," + q + ")"
		}
		parts = append(parts, e)
		if col.Nullable {
			nulls = append(nulls, "ISNULL("+q+")")
		}
	}
	if len(nulls) > 0 { // first, so that a joined list reads back left to right
		parts = append([]string{"CONCAT(" + strings.Join(nulls, ",") + ")"}, parts...)
	}
	return "CONCAT_WS(CAST(X'FF' AS BINARY)," + strings.Join(parts, ",") + ")"
}

// textColumns lists the columns of table name whose character set is
// UTF-8, with their collation, lower-cased. Not ASCII: MariaDB stores bytes
// 0x80–0xFF in an ascii column without a word, so an 0xFE or 0xFF there
// would read as a boundary in a row text; such text is length-prefixed.
func (mysqlDialect) textColumns(ctx context.Context, d *DB, name string) (map[string]bool, map[string]string, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT COLUMN_NAME, COALESCE(CHARACTER_SET_NAME, ''), COALESCE(COLLATION_NAME, '')
		FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?`, name)
	if err != nil {
		return nil, nil, fmt.Errorf("read character sets of %s in %s: %w", name, d, err)
	}
	defer rows.Close()
	utf8 := map[string]bool{}
	coll := map[string]string{}
	for rows.Next() {
		var col, cs, co string
		if err := rows.Scan(&col, &cs, &co); err != nil {
			return nil, nil, fmt.Errorf("read character sets of %s in %s: %w", name, d, err)
		}
		switch strings.ToLower(cs) {
		case "utf8", "utf8mb3", "utf8mb4":
			utf8[strings.ToLower(col)] = true
		}
		coll[strings.ToLower(col)] = strings.ToLower(co)
	}
	return utf8, coll, rows.Err()
}
