package engine

import (
	"context"
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

// hashList hashes the concatenated SHA1s of the rows: appending 40 bytes a
// row costs the server far less than turning hex into a number to sum it
// (measured on a 3M-row table: 1.77 s against 2.44 s of server CPU).
// Equal lists mean equal rows; the order only matters the other way.
// InnoDB reads a key range in key order.
func (mysqlDialect) hashList(rowText, _ string) string {
	return "COALESCE(SHA1(GROUP_CONCAT(SHA1(" + rowText + ") SEPARATOR '')),'')"
}

// listSession lets GROUP_CONCAT hold 1 GiB (the most MariaDB allows), so
// that a list is never cut short: listMaxRows keeps chunks within it.
func (mysqlDialect) listSession() string { return "SET SESSION group_concat_max_len = 1073741824" }

func (mysqlDialect) listMaxRows() int64 { return 1073741824 / 40 }

// rowText is the canonical row text of t's compared columns (see
// verify_server.go). utf8 says which text columns hold UTF-8 (or ASCII).
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
	if len(nulls) > 0 {
		parts = append(parts, "CONCAT("+strings.Join(nulls, ",")+")")
	}
	return "CONCAT_WS(CAST(X'FF' AS BINARY)," + strings.Join(parts, ",") + ")"
}

// textColumns lists the columns of table name whose character set is UTF-8
// or ASCII, with their collation, lower-cased.
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
		case "utf8", "utf8mb3", "utf8mb4", "ascii":
			utf8[strings.ToLower(col)] = true
		}
		coll[strings.ToLower(col)] = strings.ToLower(co)
	}
	return utf8, coll, rows.Err()
}
