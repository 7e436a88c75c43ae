package engine

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// postgresDialect checksums chunks on the server as MySQL does (see
// verify_server.go): COUNT(*) and the exact sum (numeric, no overflow) of
// the first 64 bits of MD5 over each row's text, or one MD5 of the rows'
// MD5s in the order the server reads them. MD5 because it is the hash every
// supported PostgreSQL has as a text function; collisions need a crafted
// row, and a chunk's sum of 64-bit values still agrees by chance only
// about once in 2^64.
func (postgresDialect) checksums() serverChecksum { return postgresDialect{} }

func (postgresDialect) hashHex(rowText string) string { return "left(md5(" + rowText + "), 16)" }

func (postgresDialect) hashSum(rowText string) string {
	return "COALESCE(SUM(('x' || left(md5(" + rowText + "), 16))::bit(64)::int8), 0)::text"
}

// hashList orders the rows by key: the planner may read a chunk's range
// with a bitmap scan, in the order of the rows' places in the table, which
// updates change. Two identical tables could then differ in every list,
// and each chunk would be summed as well (measured on the 1M-row bench,
// after 1,000 rows of the target were updated and reverted: verifying
// identical tables took 5–6.5 s, 3.2 s once they differed).
func (postgresDialect) hashList(rowText, orderBy string, _ bool) string {
	return "COALESCE(md5(string_agg(md5(" + rowText + "), '' ORDER BY " + orderBy + ")), '')"
}

// listSession: string_agg needs no setting; a statement is still run.
func (postgresDialect) listSession(int64) string { return "SELECT 1" }

// chunkRows: a list of 32-byte hashes costs about the same per row in any
// chunk size; the default measured 0.96× md5(string_agg) on the bench.
func (postgresDialect) chunkRows(context.Context, *DB, string) int { return rowsChunkRows }

// checkWarnings: PostgreSQL fails a statement rather than leave a row out.
func (postgresDialect) checkWarnings(context.Context, *sql.Conn) error { return nil }

// listComplete: a list of 32-byte hashes fits a text's 1 GiB up to
// 2^25 rows.
func (postgresDialect) listComplete(_ context.Context, _ *sql.Conn, n, _ int64, _ bool) (bool, error) {
	return n <= (1<<30)/32, nil
}

// rowText is concat_ws('|', …) of the columns as PostgreSQL prints them
// (sessions are UTC with ISO dates and shortest exact floats) and a NULL
// bitmap. Text, JSON and every other type that could hold a '|' are
// written "<length>:<text>", bytea as hex, so the text reads back to
// exactly one row.
func (postgresDialect) rowText(d *DB, t *Table, cols []int, _ map[string]bool) string {
	parts := make([]string, 0, len(cols)+1)
	var nulls []string
	for _, c := range cols {
		col := t.Columns[c]
		q := d.Quote(col.Name)
		switch col.Family {
		case FamInt, FamUint, FamDecimal, FamFloat, FamDouble, FamBool, FamDate, FamDateTime, FamTimestamp, FamTime, FamYear:
			parts = append(parts, q+"::text")
		case FamBytes:
			parts = append(parts, "encode("+q+", 'hex')")
		default:
			parts = append(parts, "length("+q+"::text) || ':' || "+q+"::text")
		}
		if col.Nullable {
			nulls = append(nulls, "("+q+" IS NULL)::int::text")
		}
	}
	if len(nulls) > 0 {
		parts = append(parts, "concat("+strings.Join(nulls, ", ")+")")
	}
	return "concat_ws('|', " + strings.Join(parts, ", ") + ")"
}

// textColumns: every text of a PostgreSQL database is in its one encoding;
// the collations decide whether both sides order text keys alike.
func (postgresDialect) textColumns(ctx context.Context, d *DB, name string) (map[string]bool, map[string]string, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT a.attname, COALESCE(co.collname, '')
		FROM pg_attribute a LEFT JOIN pg_collation co ON co.oid = a.attcollation
		WHERE a.attrelid = (SELECT oid FROM pg_class WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND relname = $1)
		AND a.attnum > 0 AND NOT a.attisdropped`, name)
	if err != nil {
		return nil, nil, fmt.Errorf("read collations of %s in %s: %w", name, d, err)
	}
	defer rows.Close()
	utf8 := map[string]bool{}
	coll := map[string]string{}
	for rows.Next() {
		var col, co string
		if err := rows.Scan(&col, &co); err != nil {
			return nil, nil, fmt.Errorf("read collations of %s in %s: %w", name, d, err)
		}
		utf8[strings.ToLower(col)] = true
		coll[strings.ToLower(col)] = co
	}
	return utf8, coll, rows.Err()
}
