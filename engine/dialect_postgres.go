package engine

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// postgresDialect is PostgreSQL through github.com/jackc/pgx/v5. schema is
// the first entry of the connection's search_path: the tables runway reads,
// creates and keeps (checkpoints, catch-up position) are there.
type postgresDialect struct{ search string }

func (postgresDialect) name() string                        { return Postgres }
func (postgresDialect) quote(id string) string              { return quotePG(id) }
func (postgresDialect) rowValues() bool                     { return true }
func (postgresDialect) bytesAreBlobs() bool                 { return false }
func (postgresDialect) jsonArray(args string) string        { return "json_build_array(" + args + ")::text" }
func (postgresDialect) distinct(a, b string) string         { return a + " IS DISTINCT FROM " + b }
func (postgresDialect) hexKey(e string) string              { return "encode(" + e + ", 'hex')" }
func (postgresDialect) timestampKey(e string, _ int) string { return e } // the trigger keeps runway's TimeZone
func (postgresDialect) sql() *dialectSQL                    { return &postgresSQL }
func (postgresDialect) implicitUniques(*Table) [][]string   { return nil }
func (postgresDialect) mariaDB(context.Context, *DB) bool   { return false }
func (postgresDialect) preparedRows(int) int                { return 0 }
func (postgresDialect) parallelWrites() bool                { return true }

// copyWriters: one; COPY streams a chunk without waiting on runway.
func (postgresDialect) copyWriters() int { return 1 }

func (postgresDialect) foreignKeyLabel(name string) string { return name }
func (postgresDialect) attaches() bool                     { return false }
func (postgresDialect) ownTypes() bool                     { return true }
func (postgresDialect) upsertSet(q string) string          { return q + " = excluded." + q }
func (postgresDialect) upsertKeep(q string) string         { return q + " = excluded." + q }
func (postgresDialect) tableOptions(context.Context, *DB) string {
	return ""
}
func (postgresDialect) createSession() (set, undo string) { return "", "" }
func (postgresDialect) cannotHold(Column) string          { return "" }
func (postgresDialect) chunkWrites() string {
	return "loaded with COPY into an empty table (upserted on a rerun)"
}
func (postgresDialect) strictTimes() bool                { return true }
func (postgresDialect) boundedTimes() bool               { return false }
func (postgresDialect) indexSession() (set, undo string) { return "", "" }
func (postgresDialect) rowidEstimate(context.Context, *DB, *Table) int64 {
	return -1
}

// createTrigger: a PostgreSQL trigger runs a function; runway's has the
// trigger's name, so that dropping the function (CASCADE) drops both.
// createTrigger's function runs with runway's own session settings, taken
// when it is created, whatever the writing session's: its search_path
// finds runway's log table (not another of the same name, or none), and
// the key's text is written as runway reads it (a float8 key under
// extra_float_digits = 0 would be logged rounded, and replayed as deleted).
func (postgresDialect) createTrigger(name, table, event, body string) []string {
	return []string{
		"CREATE OR REPLACE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql" + pinnedSettings +
			" AS $runway$BEGIN " + body + " RETURN NULL; END$runway$",
		"CREATE TRIGGER " + name + " AFTER " + event + " ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + name + "()",
	}
}

// pinnedSettings are the settings a trigger function keeps from the session
// that created it: those that find its log table and print its keys.
const pinnedSettings = ` SET search_path FROM CURRENT SET "TimeZone" FROM CURRENT SET "DateStyle" FROM CURRENT` +
	` SET "IntervalStyle" FROM CURRENT SET extra_float_digits FROM CURRENT`

func (postgresDialect) dropOwnTrigger(name string) string {
	return "DROP FUNCTION IF EXISTS " + name + "() CASCADE"
}

func (postgresDialect) dropTrigger(name, table string) string {
	return "DROP TRIGGER " + name + " ON " + table
}

func (postgresDialect) foreignKeyNote() string {
	return "foreign keys: not checked while writing when runway's user is a superuser (session_replication_role = replica, which keeps the target's triggers from firing too); otherwise checked, and the target's triggers fire"
}

func (p postgresDialect) describe(ctx context.Context, d *DB, name string) (*Table, error) {
	return describePostgres(ctx, d, name)
}

// foldsCase: runway quotes every name, so PostgreSQL keeps its case.
func (postgresDialect) foldsCase(context.Context, *DB) (string, error) { return "", nil }

func (p postgresDialect) schema(context.Context, *DB) string { return p.search }
func (p postgresDialect) qualifier(*DB) string               { return p.search }

// estimate is the planner's row count, which knows nothing of a filter.
func (postgresDialect) estimate(ctx context.Context, d *DB, t *Table, where string) (int64, bool) {
	if where != "" {
		return 0, false
	}
	var n float64
	err := d.db.QueryRowContext(ctx, `SELECT c.reltuples::float8 FROM pg_class c
		WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND c.relname = $1`, t.Name).Scan(&n)
	if err != nil || n < 0 {
		return 0, false
	}
	return int64(n), true
}

func (postgresDialect) reach(ctx context.Context, d *DB, within time.Duration) error {
	return reachServer(ctx, d, within, pgPing)
}

// readExpr reads every value as the text PostgreSQL prints for it (ISO
// dates, YYYY-MM-DD hh:mm:ss[.f] without trailing zeros, a BC suffix kept),
// except what the driver already hands over exactly: integers, double
// precision, booleans, bytea, json and numeric's digits.
func (postgresDialect) readExpr(c *Column, q string) string {
	switch c.Family {
	case FamFloat:
		return q + "::float8"
	case FamTimestamp: // the UTC time, without the zone the text would end in
		return "(" + q + " AT TIME ZONE 'UTC')::text"
	case FamDate, FamDateTime, FamTime, FamText, FamOther:
		return q + "::text"
	}
	return q
}

// sameCreate: the enum types, the table and its unique indexes now; the
// other indexes once the rows are in.
func (postgresDialect) sameCreate(t *Table, _ string) (now, deferred []string) {
	for _, q := range t.Create {
		if strings.HasPrefix(q, "CREATE INDEX") {
			deferred = append(deferred, q)
		} else {
			now = append(now, q)
		}
	}
	return now, deferred
}

func (postgresDialect) columnDef(c Column, inKey, _ bool, dflt string) string {
	def := PostgresType(c)
	if !c.Nullable || inKey {
		def += " NOT NULL"
	}
	return def + dflt
}

// indexExists: 42P07, the relation exists already.
func (postgresDialect) indexExists(err error) bool { return pgCode(err) == "42P07" }

func (postgresDialect) checkName(table, column string, d *DB) string {
	name, what := table, table
	if column != "" {
		name, what = column, table+"."+column
	}
	if n := len(name); n > maxPostgresName {
		return fmt.Sprintf("%s cannot be created in %s: PostgreSQL names have at most %d bytes, this one has %d", what, d, maxPostgresName, n)
	}
	return ""
}

// maxPostgresName is NAMEDATALEN - 1.
const maxPostgresName = 63

func (postgresDialect) upsertSuffix(quotedKey string, set []string) string {
	return " ON CONFLICT (" + quotedKey + ") DO UPDATE SET " + strings.Join(set, ", ")
}

// tuneUpserter: numbers go quoted to columns that are not numbers (a
// boolean takes '1', not 1); statements of about 1 MiB.
func (postgresDialect) tuneUpserter(_ context.Context, _ *DB, u *Upserter, t *Table, cols []string) {
	u.asText = make([]bool, len(cols))
	for i, name := range cols {
		c := t.Column(name)
		u.asText[i] = c != nil && pgQuotesNumbers(c)
	}
	u.MaxStatement = 1 << 20
}

func (postgresDialect) writerSession(ctx context.Context, conn *sql.Conn, _, _ bool) error {
	return postgresWriterSession(ctx, conn)
}

// updateTrigger logs the old key too when the update changed it.
func (postgresDialect) updateTrigger(insNew, insOld, _, _, changed string) string {
	return insNew + "; IF " + changed + " THEN " + insOld + "; END IF;"
}

func (postgresDialect) triggerWhen(listed string) string { return listed }

// quotePG quotes an identifier with double quotes.
func quotePG(id string) string {
	return `"` + strings.ReplaceAll(id, `"`, `""`) + `"`
}

// bind numbers the ? placeholders of q ($1, $2, …); q never holds a ?
// inside a string or a name.
func (postgresDialect) bind(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
