// Package engine moves and compares table data between MySQL/MariaDB and
// SQLite: the catalog (columns, types, keys), keyset chunk reading, exact value
// encoding, idempotent upsert and delete writing, checkpoints, and the copy
// engine built on them.
//
// Exactness. Values are read as the database's own text (MySQL text protocol,
// no time parsing, session time zone +00:00) or as SQLite's storage classes,
// and written back as SQL literals of the matching class: integers and
// decimals as digits, floats as the shortest text that reads back to the same
// bits (MySQL FLOAT is read through a DOUBLE expression because the server
// prints FLOAT with six digits), strings quoted, byte strings as hex literals.
// Tables created in SQLite keep types whose affinity preserves the value: see
// [SQLiteType].
//
// Ordering rule for catch-up. The copy engine writes only rows it read, chunk
// by chunk in key order, each chunk in its own transaction together with its
// checkpoint. It never deletes and never reads a row twice in one run, so a
// row deleted on the source after its chunk was read stays on the target until
// a catch-up replays the deletion. A catch-up must therefore start from a
// change-log position recorded BEFORE the copy started: every change made
// while the copy ran is then replayed by re-reading the row from the source
// (the source is the truth) and upserting it, or deleting it when it is gone.
//
// Layout. The seams, by file prefix:
//   - dialect*: everything that differs between databases, behind the
//     dialect interface (dialect.go); a DB picks its dialect when opened
//     (db.go). A new database is one new dialect_<name>*.go set.
//   - keyset.go, read.go: chunking by key ranges and reading rows exactly;
//     write.go, write_lax.go: batched, idempotent upserts.
//   - retry.go: what is transient, and the one retry policy every loop runs.
//   - copy*, verify*, repair*, catchup*, compare*: the engines, each a
//     reader, writers and a checkpoint built on the seams above.
//   - preflight*: what an engine checks before it starts.
package engine
