// Package watch follows a session that another process drives: it folds the
// audit log as it grows with the session's own reducer, shows it in the
// console in observer mode (every mutating key disabled), and says whether
// the driver's process still runs, closed the session, or is gone.
//
// Nothing here writes: the log is opened read-only, and the runbook is read
// again from the text stored with the session, with placeholders for every
// ${VAR}, so a watcher never needs or shows a secret.
package watch
