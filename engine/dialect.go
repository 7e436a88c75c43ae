package engine

import (
	"context"
	"database/sql"
	"time"
)

// dialect is everything the engines do differently on one kind of database:
// how it names and spells things, how its catalog is read, the statements
// runway creates there, how a connection is set up to write, and what it can
// do. A DB picks its dialect once, when it is opened; the engines (chunking,
// reading, writing, verifying, catching up) ask it and never test which
// database they talk to. A new database is one new implementation.
type dialect interface {
	name() string // the driver name Open takes: MySQL, SQLite

	// spelling
	quote(id string) string
	appendLiteral(dst []byte, v Value) []byte
	// appendKeyLiteral writes v, a value of key column c, as a literal that
	// compares with c as the stored value does.
	appendKeyLiteral(dst []byte, c *Column, v Value) []byte
	// readExpr is how the SELECT list reads column c, quoted as q, exactly.
	readExpr(c *Column, q string) string
	// rowValues tells that key tuples compare as row values, (a, b) > (1, 2),
	// through the index; otherwise keysets spell the tuple out.
	rowValues() bool
	// bytesAreBlobs tells that the driver's []byte values are always blobs
	// (text arrives as string), whatever the column's family.
	bytesAreBlobs() bool
	// jsonArray is the SQL function building a JSON array.
	jsonArray(args string) string
	// distinct is the condition "a and b differ, NULL being a value".
	distinct(a, b string) string
	// hexKey is e's bytes as hex text (the logged key of a blob).
	hexKey(e string) string
	// timestampKey is the logged key of e, a TIMESTAMP with scale
	// fractional digits: as runway's sessions print it, whatever the
	// writing session's time zone.
	timestampKey(e string, scale int) string
	// bind spells the ? placeholders of q as the driver wants them.
	bind(q string) string

	// catalog
	sql() *dialectSQL
	describe(ctx context.Context, d *DB, name string) (*Table, error)
	// implicitUniques are unique keys of t that its index list leaves out.
	implicitUniques(t *Table) [][]string
	// foldsCase tells whether table names differing only in case are one
	// table, and why ("" when they are not).
	foldsCase(ctx context.Context, d *DB) (string, error)
	// schema is the name qualifying d's tables for a reader ("" when none).
	schema(ctx context.Context, d *DB) string
	// qualifier is the schema named in d's identity, without a query.
	qualifier(d *DB) string
	// estimate is a cheap row count of t for progress; ok false when unknown.
	estimate(ctx context.Context, d *DB, t *Table, where string) (n int64, ok bool)
	// rowidEstimate guesses t's rows from its rowid range; -1 when it cannot.
	rowidEstimate(ctx context.Context, d *DB, t *Table) int64
	// mariaDB tells the server flavour where there are several.
	mariaDB(ctx context.Context, d *DB) bool
	// reach makes the first contact with d, retrying for within.
	reach(ctx context.Context, d *DB, within time.Duration) error

	// creating tables
	// sameCreate is t's own definition, split into statements run now and
	// secondary indexes deferred until the rows are in.
	sameCreate(t *Table, quotedName string) (now, deferred []string)
	// createsFromOwnText: a table created from the same engine is created
	// from the source's own definition, defaults and indexes included.
	createsFromOwnText() bool
	// literalDefault is the DEFAULT clause of a number or text default d
	// of column c in a created table, or why the engine cannot take it.
	literalDefault(c Column, d Default) (clause, skipped string)
	// nowDefault is the current time as the default of time column c, or
	// why the engine's current time is not the source's.
	nowDefault(c Column) (expr, skipped string)
	// numbersKey: c, as the sole key of a created table, numbers new rows.
	numbersKey(c Column) bool
	// indexMisfit says why an index on cols cannot be built ("" if it can).
	indexMisfit(cols []Column) string
	// addIndexes are the statements adding indexes to a created table.
	addIndexes(d *DB, table string, ixs []Index) []string
	// indexNaming is the longest index name (0: no limit), and whether
	// index names are per table rather than per schema.
	indexNaming() (limit int, perTable bool)
	// triggersSeeCascades: rows a foreign key's action changes fire the
	// engine's triggers, so a change log holds them (not MySQL's).
	triggersSeeCascades() bool
	// title is the engine's name for people: "PostgreSQL".
	title() string
	// columnDef is a translated column's type and constraints, ending
	// with the default clause dflt (" DEFAULT …" or "").
	columnDef(c Column, inKey, soleIntKey bool, dflt string) string
	// tableOptions follow a created table's closing parenthesis.
	tableOptions(ctx context.Context, d *DB) string
	// createSession and indexSession are the settings a connection creating
	// tables or building deferred indexes runs with, and their undo ("" none).
	createSession() (set, undo string)
	indexSession() (set, undo string)
	// indexExists tells that err is the refusal to add an index that is
	// there already.
	indexExists(err error) bool
	// cannotHold is why a column of another kind of database cannot be
	// copied into this one exactly ("" when it can).
	cannotHold(c Column) string
	// strictTimes tells that this database refuses dates with zero parts
	// and times beyond a day.
	strictTimes() bool
	// boundedTimes tells that this database refuses infinite dates and
	// years outside 1–9999.
	boundedTimes() bool
	// badTimes counts the values of column c of t (matching where) that
	// such databases refuse, and says what they are.
	badTimes(ctx context.Context, d *DB, t *Table, c *Column, where string) (n int64, what string, err error)
	// checkName is the problem with a table or column name the target
	// cannot create ("" when none).
	checkName(table, column string, d *DB) string

	// writing
	// upsertSet assigns the incoming value of quoted column q; upsertKeep
	// assigns one that changes nothing (every column is a key column).
	upsertSet(q string) string
	upsertKeep(q string) string
	// upsertSuffix turns an INSERT into an upsert on conflicting key.
	upsertSuffix(quotedKey string, set []string) string
	// tuneUpserter sizes u's statements and notes how its values are sent.
	tuneUpserter(ctx context.Context, d *DB, u *Upserter, t *Table, cols []string)
	// preparedRows is the rows per prepared upsert for ncols columns (0 none).
	preparedRows(ncols int) int
	writerSession(ctx context.Context, conn *sql.Conn, indexed, rawText bool) error
	// loadRows writes the rows of b into u's table faster than upserts can,
	// in the transaction open on conn, for a chunk whose keys cannot be in
	// the table yet; false when the dialect has no such way.
	loadRows(ctx context.Context, conn *sql.Conn, u *Upserter, b *Batch) (bool, error)
	// chunkWrites says how a copy chunk's rows are written, for the plan.
	chunkWrites() string
	// parallelWrites tells that several connections can write at once.
	parallelWrites() bool
	// copyWriters is the number of connections a copy writes with unless
	// told otherwise.
	copyWriters() int
	// updateTrigger is the body of the update trigger logging t's key: the
	// new key always, the old one too when the update changed it.
	updateTrigger(insNew, insOld, logInsert, oldKey, changed string) string
	// triggerWhen reads "BEFORE INSERT" from what the catalog lists.
	triggerWhen(listed string) string
	// foreignKeyLabel names a foreign key as the catalog lists it.
	foreignKeyLabel(name string) string
	// createTrigger is the statements creating the AFTER event trigger
	// name (quoted) on table (quoted) that runs body, statements each
	// ending in ';'. dropOwnTrigger drops such a trigger and whatever
	// createTrigger made with it; dropTrigger is the statement dropping
	// any trigger of a table.
	createTrigger(name, table, event, body string) []string
	dropOwnTrigger(name string) string
	dropTrigger(name, table string) string
	// ownTypeProblems adds to p the columns of tp whose types of the
	// database's own (not built in) the target lacks or defines otherwise,
	// between two databases of this dialect; created tells that the copy
	// would create the table.
	ownTypeProblems(ctx context.Context, src, dst *DB, tp *TablePlan, created bool, p *Plan) error
	// tableComment is the comment of table name, "" when none.
	tableComment(ctx context.Context, d *DB, name string) (string, error)
	// createChangeLog is the statements creating change log name (quoted)
	// with comment, where the dialect keeps comments.
	createChangeLog(name, comment string) []string
	// storageIDs are ids of tables' storage that TRUNCATE changes, by
	// name, for those that have one (see catchup_guard_storage.go), or
	// errStorageHidden when the server hides them from this user.
	storageIDs(ctx context.Context, d *DB, tables []string) (map[string]string, error)
	// foreignKeyNote says what happens to the target's foreign keys while
	// runway writes ("" when it depends on the engine).
	foreignKeyNote() string

	// abilities
	// checksums is how chunks are checksummed on the server (this dialect
	// on both sides); nil when they cannot be.
	checksums() serverChecksum
	// attaches tells that a database file can be attached to another of
	// this dialect, so a copy never leaves the library.
	attaches() bool
	// ownTypes tells that a target of this dialect keeps its own column
	// definitions when the source is of the same dialect, so values are
	// checked to fit them.
	ownTypes() bool
}

// dialectSQL is the fixed SQL of a dialect: catalog reads and the tables
// runway keeps on a database. Every query takes the table name as its one
// argument unless said otherwise.
type dialectSQL struct {
	tableExists    string // COUNT(*) of tables named ?
	lookupTable    string // name, kind ('VIEW' or 'BASE TABLE'), rows or -1 of tables and views named ? in any case
	uniqueKeys     string // index name, column name of every unique key, in order
	triggerExists  string // COUNT(*) of triggers named ?
	runwayTriggers string // name, table, body of every runway_… trigger; no argument
	tableTriggers  string // name, timing of the triggers on table ?
	foreignKeys    string // name, column, referenced table, referenced column
	// referencing lists the foreign keys that reference a table: child
	// table, key name, column, referenced column, in key order.
	referencing     string
	changeLogAge    string // the age in microseconds of a change-log row, an expression
	changeLogTime   string // a change-log row's changed_at as text that does not depend on the session
	checkpointTable string // CREATE TABLE IF NOT EXISTS of the checkpoint table
	catchupTable    string // CREATE TABLE IF NOT EXISTS of the catch-up position table
	storageTable    string // CREATE TABLE IF NOT EXISTS of the table of storage ids copies saw
	changeLog       string // a change log's columns and options, after CREATE TABLE IF NOT EXISTS name
}

// sameDialect reports whether a and b are the same kind of database.
func sameDialect(a, b *DB) bool { return a.dialect.name() == b.dialect.name() }

// serverChecksum is a dialect's server-side checksum of rows (verify's
// server method): a canonical text per row, hashed and summed by the server.
type serverChecksum interface {
	// rowText is the canonical row text of t's columns cols; utf8 says
	// which text columns hold UTF-8.
	rowText(d *DB, t *Table, cols []int, utf8 map[string]bool) string
	// hashHex is the first 64 bits of a row text's hash, as hex text;
	// hashSum their exact sum over a chunk (0 for none).
	hashHex(rowText string) string
	hashSum(rowText string) string
	// hashList is one hash over the rows of a chunk in the order the
	// server reads them, or in key order (orderBy) where the server may
	// read them in another ('' for none): cheaper than hashSum, but rows in
	// another order make it differ. whole asks for a hash of the row texts
	// themselves, where the dialect has one (cheaper still), rather than of
	// each row's hash. listSession, run first on the same connection, lets
	// the server hold a list of up to maxBytes; listComplete, after it,
	// tells whether the list covered all n rows.
	hashList(rowText, orderBy string, whole bool) string
	// chunkRows is how many rows a chunk of table name should hold when
	// none is asked for.
	chunkRows(ctx context.Context, d *DB, name string) int
	listSession(maxBytes int64) string
	listComplete(ctx context.Context, conn *sql.Conn, n, maxBytes int64, whole bool) (bool, error)
	// checkWarnings fails when the checksum just run on conn may have
	// left rows out.
	checkWarnings(ctx context.Context, conn *sql.Conn) error
	// textColumns lists the columns of table name holding UTF-8 (or
	// ASCII) text, and every column's collation, by lower-cased name.
	textColumns(ctx context.Context, d *DB, name string) (utf8 map[string]bool, coll map[string]string, err error)
}
