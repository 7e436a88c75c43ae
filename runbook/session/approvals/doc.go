// Package approvals lets a second person on the same host approve a
// two-person override from their own login. The process driving a session
// listens on a Unix socket beside the audit log; `runway approve` connects
// to it, and the driver asks the kernel who connected (SO_PEERCRED): that
// uid, not a name typed on a command line, is who approves. The session
// core records the decision; this package only carries it, so the core
// stays free of networking.
package approvals
