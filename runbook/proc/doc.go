// Package proc tells whether another process is still alive: the session
// asks before it takes over a session whose driver may still run, and a
// watcher asks whether the driver it follows has gone.
package proc
