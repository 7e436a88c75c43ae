// Package audit is runway's audit log: an SQLite file (WAL, synchronous=FULL)
// holding the sessions that were run and an append-only, hash-chained stream
// of events. Every event is durable when Append returns; if the log cannot be
// written, it is poisoned and every later write fails, so nothing runs
// unrecorded. A log or -wal removed or replaced while open is one such
// failure, caught at every write and between writes (files.go); the events
// held only in the -wal are first checkpointed into the log. Watchers, replays and reports open the same file read-only, and
// Verify recomputes the whole chain.
//
// The file layout is described in schema.go; the hash of a row in hash.go.
package audit
