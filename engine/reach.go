package engine

import (
	"context"
	"time"
)

// Reach makes the first contact with a MySQL database, retrying a server
// that cannot be reached (refused, timed out, restarting) for at most
// within. It fails with one line naming the database and why: "mysql://u@
// 127.0.0.1:1/db: not reachable after 10s: connection refused", or, when
// the server answers but refuses the login, "…: login refused: Error 1045
// …". A SQLite database needs no contact: nil.
func (d *DB) Reach(ctx context.Context, within time.Duration) error {
	return d.dialect.reach(ctx, d, within)
}
