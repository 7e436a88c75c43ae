package audit

// applicationID marks an SQLite file as a runway audit log (PRAGMA
// application_id, "RWAY"), so Open never adopts someone else's database.
const applicationID = 0x52574159

// schemaVersion is PRAGMA user_version of the layout below.
const schemaVersion = 1

// schema is the layout of a version 1 log. STRICT tables keep every column
// its declared type; the triggers refuse updates and deletes of events by
// ordinary SQL (Verify catches whatever gets past them).
var schema = []string{
	`CREATE TABLE sessions (
		id             TEXT PRIMARY KEY,
		runbook        TEXT NOT NULL,
		runbook_path   TEXT NOT NULL,
		runbook_text   BLOB NOT NULL,
		runbook_sha256 TEXT NOT NULL,
		operator       TEXT NOT NULL,
		host           TEXT NOT NULL,
		started        TEXT NOT NULL,
		ended          TEXT NOT NULL DEFAULT '',
		status         TEXT NOT NULL
	) STRICT`,
	`CREATE TABLE events (
		seq       INTEGER PRIMARY KEY,
		session   TEXT NOT NULL REFERENCES sessions(id),
		time      TEXT NOT NULL,
		mono      INTEGER NOT NULL,
		run       TEXT NOT NULL,
		actor     TEXT NOT NULL,
		kind      TEXT NOT NULL,
		phase     TEXT NOT NULL,
		item      TEXT NOT NULL,
		payload   TEXT NOT NULL,
		prev_hash TEXT NOT NULL,
		hash      TEXT NOT NULL
	) STRICT`,
	`CREATE INDEX events_session ON events(session, seq)`,
	`CREATE INDEX sessions_started ON sessions(started)`,
	`CREATE TRIGGER events_no_update BEFORE UPDATE ON events
		BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END`,
	`CREATE TRIGGER events_no_delete BEFORE DELETE ON events
		BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END`,
}

// Columns of events in the order every query selects and inserts them.
const eventColumns = `seq, session, time, mono, run, actor, kind, phase, item, payload, prev_hash, hash`

// Columns of sessions in the order every query selects them.
const sessionColumns = `id, runbook, runbook_path, runbook_text, runbook_sha256, operator, host, started, ended, status`
