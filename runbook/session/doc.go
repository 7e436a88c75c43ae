// Package session runs a runbook: the executor (the only writer of events),
// the stop rules and rollback points. It folds what it writes with
// runway/runbook/fold, as the console, a watcher and a replay do.
package session
