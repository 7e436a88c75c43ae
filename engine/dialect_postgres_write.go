package engine

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
)

// appendLiteral writes v as a literal that stores exactly v: numbers as
// digits, text as a standard string (standard_conforming_strings is on for
// every connection), bytes as a bytea literal.
func (postgresDialect) appendLiteral(dst []byte, v Value) []byte {
	switch v.Kind {
	case KindNull:
		return append(dst, "NULL"...)
	case KindInt, KindUint, KindDecimal:
		if isNumber(v.B) {
			return append(dst, v.B...)
		}
	case KindFloat:
		switch string(v.B) { // infinities as the engines read them
		case "9e999":
			return append(dst, "'Infinity'::float8"...)
		case "-9e999":
			return append(dst, "'-Infinity'::float8"...)
		}
		if isNumber(v.B) {
			return append(dst, v.B...)
		}
	case KindBytes:
		dst = append(dst, `'\x`...)
		dst = hex.AppendEncode(dst, v.B)
		return append(dst, "'::bytea"...)
	}
	return appendPGString(dst, v.B)
}

// appendPGString quotes b as a standard string. PostgreSQL text cannot hold
// a NUL byte: such a string is sent as bytes for the server to refuse by
// its own rule, naming the value, rather than cut at the NUL.
func appendPGString(dst, b []byte) []byte {
	if bytes.IndexByte(b, 0) >= 0 {
		dst = append(dst, `convert_from('\x`...)
		dst = hex.AppendEncode(dst, b)
		return append(dst, "'::bytea, 'UTF8')"...)
	}
	return appendQuoted(dst, b)
}

// postgresWriterSession prepares a target connection for writing. As on
// MySQL, the target's foreign keys are not checked while rows arrive (they
// come from a database that satisfied them, in key order rather than in
// the order the references need): session_replication_role = replica, which
// needs a superuser and also keeps the table's own triggers from firing.
// Another user writes with both in force.
func postgresWriterSession(ctx context.Context, conn *sql.Conn) error {
	var super string
	if err := conn.QueryRowContext(ctx, "SELECT current_setting('is_superuser')").Scan(&super); err != nil {
		return err
	}
	if super == "on" {
		if _, err := conn.ExecContext(ctx, "SET session_replication_role = replica"); err != nil {
			return err
		}
	}
	return nil
}

// writesAsReplica: runway's writers set session_replication_role =
// replica when its user is a superuser (see postgresWriterSession).
func (postgresDialect) writesAsReplica(ctx context.Context, d *DB) bool {
	var super string
	err := d.db.QueryRowContext(ctx, "SELECT current_setting('is_superuser')").Scan(&super)
	return err == nil && super == "on"
}
