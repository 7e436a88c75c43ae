package engine

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
)

// Why a change log carries an identity: a target keeps one position per
// catch-up job, named by default after the log table. Two sources whose
// logs share a name (shards merged into one database), or a log dropped and
// created again (its ids start over), would take up another log's
// position and skip every change below it without a word. The log runway
// creates carries a random identity in its table comment; the position
// stores it, and a position of another log is refused.

// logIdentPrefix starts the comment of a change log runway created.
const logIdentPrefix = "runway change log "

// newLogIdent is a fresh random identity for a change log.
func newLogIdent() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// logIdent is the identity in a change log's comment, "" when it has none
// (a log the application made, or one made before identities).
func logIdent(ctx context.Context, d *DB, name string) (string, error) {
	comment, err := d.dialect.tableComment(ctx, d, name)
	if err != nil {
		return "", fmt.Errorf("read the comment of change log %s in %s: %w", name, d, err)
	}
	ident, ok := strings.CutPrefix(comment, logIdentPrefix)
	if !ok {
		return "", nil
	}
	return ident, nil
}

// owns refuses a stored position that this log did not write: one that
// records another identity, or none while this log has one, or the other
// way round (a log of an older runway, or the application's, beside one
// runway created); and one past the log's highest id, whose ids started
// over (the log emptied by TRUNCATE, which starts MySQL's ids over, or
// created again), whatever its identity. A position that has seen
// nothing skips nothing, and is taken up.
func (l *changeLog) owns(ctx context.Context, st catchupState, job string, dst *DB) error {
	if st.pos.MaxSeen == 0 {
		return nil
	}
	if st.log != l.ident {
		return otherLogStop(l.name, job, dst)
	}
	conn, err := l.d.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("read change log %s in %s: %w", l.name, l.d, err)
	}
	defer conn.Close()
	top, err := l.maxID(ctx, conn)
	if err != nil {
		return err
	}
	if top > 0 && top < st.pos.MaxSeen {
		return fmt.Errorf("the position stored under job %q in %s on %s has read change log %s up to id %d, and the log's highest id is %d: "+
			"its ids started over (the log emptied by TRUNCATE, or created again) or it is another source's log of the same name, and resuming would skip changes; "+
			"give each source's change log a name of its own (log_table), or, for a log emptied or created again, delete that row and repair the tables with verify --repair; "+
			"a source that is a replica still behind the one the position read is refused the same way: run again once it has caught up",
			job, CatchupTable, dst, l.name, st.pos.MaxSeen, top)
	}
	return l.checkMark(ctx, conn, &st.pos, job, dst)
}

// otherLogStop is the error of a stored position that another change log
// of the same name wrote.
func otherLogStop(logTable, job string, dst *DB) error {
	return fmt.Errorf("the position stored under job %q in %s on %s belongs to another change log named %s "+
		"(another source's, or one dropped and created again, whose ids start over): resuming it would skip changes; "+
		"give each source's change log a name of its own (log_table), or, for a log created again, delete that row and repair the tables with verify --repair",
		job, CatchupTable, dst, logTable)
}
