package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/dustin/go-humanize"
	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
)

// On a live source a unique value can move from a row already copied to
// one not copied yet: the chunk holding the new row then meets the old row
// on the target's unique key, and every rerun would meet it again. As
// catch-up does (see unique_moves.go), the old row is cleared and the chunk
// written again: its value moved, so its change is in the log and catch-up
// writes it again. A row the source still has as it is stops the copy
// instead (see unique_collide.go).

// movedValueClash tells that c, a chunk of a target that held none of the
// copied rows, failed on a unique key a row copied before holds.
func (tc *tableCopy) movedValueClash(err error, c *chunk) bool {
	return err != nil && tc.fresh && c.b != nil && len(tc.dt.Unique) > 1 && isDuplicateKey(err)
}

// clearMoved clears, in a transaction of its own, the target rows holding
// one of c's unique values under another key, and returns how many.
func (tc *tableCopy) clearMoved(ctx context.Context, c *chunk) (int64, error) {
	var n int64
	err := tc.inSideTx(ctx, true, func(tx *sql.Tx) (err error) {
		n, err = tc.dst.clearUniqueMoves(ctx, tx, tc.dt, tc.names, tc.keyNames, c.b, moveOrigin{tc.src, tc.st})
		return err
	})
	if err != nil || n == 0 {
		return 0, err
	}
	tc.mu.Lock()
	done := tc.state.rows
	tc.mu.Unlock()
	tc.report(Progress{Done: done, Note: fmt.Sprintf("cleared %s target rows whose unique values moved on the source: catch-up writes them again", humanize.Comma(n))})
	return n, nil
}

// isDuplicateKey tells that err is a server's refusal of a row that meets
// another on a unique key.
func isDuplicateKey(err error) bool {
	var my *mysql.MySQLError
	if errors.As(err, &my) {
		return my.Number == 1062
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}
