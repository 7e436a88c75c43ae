package engine

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"io"

	"github.com/jackc/pgx/v5"
)

// streamBuffer is the size of the blocks the source's COPY output is
// handed to the target in: PostgreSQL sends one message per row, and the
// target should get few large ones.
const streamBuffer = 64 << 10

// streamRows moves the rows of query from one PostgreSQL database to
// another as COPY's text, `COPY (query) TO STDOUT` on from piped into
// `COPY into FROM STDIN` on to, in the transaction open there. Both sessions
// print and read values alike (UTC, ISO dates, postgres intervals, exact
// floats, hex bytea), so a column of the same type on both sides gets the
// value it had; runway decodes none of them, and holds no more than a block
// of them at a time.
func (postgresDialect) streamRows(ctx context.Context, from, to *sql.Conn, query, into string) (int64, error) {
	pr, pw := io.Pipe()
	srcErr := make(chan error, 1)
	go func() {
		w := bufio.NewWriterSize(pw, streamBuffer)
		err := pgRaw(from, func(c *pgx.Conn) error {
			_, err := c.PgConn().CopyTo(ctx, w, "COPY ("+query+") TO STDOUT")
			return err
		})
		if err == nil {
			err = w.Flush()
		}
		pw.CloseWithError(err) // nil: the target reads the end of the rows
		srcErr <- err
	}()
	var rows int64
	err := pgRaw(to, func(c *pgx.Conn) error {
		tag, err := c.PgConn().CopyFrom(ctx, pr, "COPY "+into+" FROM STDIN")
		rows = tag.RowsAffected()
		return err
	})
	pr.CloseWithError(errStreamStopped) // a source still sending stops
	if e := <-srcErr; e != nil && !errors.Is(e, errStreamStopped) {
		return 0, e // the target's error, if any, only says the source failed
	}
	return rows, err
}

// errStreamStopped ends a source's COPY when the target stopped reading.
var errStreamStopped = errors.New("the target stopped reading the rows")
