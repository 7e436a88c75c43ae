package audit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// cancelEvery is how many events a long read goes between looks at its
// context, besides the driver's own.
const cancelEvery = 1024

// Session returns one session, or an error wrapping ErrNoSession.
func (l *Log) Session(ctx context.Context, id string) (SessionInfo, error) {
	s, err := l.querySessions(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE id = ?`, id)
	if err != nil {
		return SessionInfo{}, err
	}
	if len(s) == 0 {
		return SessionInfo{}, fmt.Errorf("audit log %s: session %s: %w", l.path, id, ErrNoSession)
	}
	return s[0], nil
}

// LatestSession returns the most recently started session, or an error
// wrapping ErrNoSession if the log holds none.
func (l *Log) LatestSession(ctx context.Context) (SessionInfo, error) {
	s, err := l.querySessions(ctx, `SELECT `+sessionColumns+` FROM sessions ORDER BY started DESC, rowid DESC LIMIT 1`)
	if err != nil {
		return SessionInfo{}, err
	}
	if len(s) == 0 {
		return SessionInfo{}, fmt.Errorf("audit log %s holds no sessions: %w", l.path, ErrNoSession)
	}
	return s[0], nil
}

// Sessions returns every session, newest first.
func (l *Log) Sessions(ctx context.Context) ([]SessionInfo, error) {
	return l.querySessions(ctx, `SELECT `+sessionColumns+` FROM sessions ORDER BY started DESC, rowid DESC`)
}

func (l *Log) querySessions(ctx context.Context, query string, args ...any) ([]SessionInfo, error) {
	rows, err := l.rdb.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, l.readErr(err)
	}
	defer rows.Close()
	var out []SessionInfo
	for rows.Next() {
		var s SessionInfo
		var started, ended string
		if err := rows.Scan(&s.ID, &s.Runbook, &s.RunbookPath, &s.RunbookText, &s.RunbookSHA,
			&s.Operator, &s.Host, &started, &ended, &s.Status); err != nil {
			return nil, l.readErr(err)
		}
		if s.Started, err = parseTime(started); err != nil {
			return nil, fmt.Errorf("audit log %s: session %s: start time: %w", l.path, s.ID, err)
		}
		if s.Ended, err = parseTime(ended); err != nil {
			return nil, fmt.Errorf("audit log %s: session %s: end time: %w", l.path, s.ID, err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, l.readErr(err)
	}
	return out, nil
}

// Events returns the events after afterSeq, ordered by seq; session ""
// means every session.
func (l *Log) Events(ctx context.Context, session string, afterSeq int64) ([]Event, error) {
	var out []Event
	err := l.Scan(ctx, session, afterSeq, func(e Event) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

// Scan calls fn for each event after afterSeq in seq order, without holding
// them all; session "" means every session. It reads one consistent
// snapshot; an error from fn stops the scan and is returned as is.
func (l *Log) Scan(ctx context.Context, session string, afterSeq int64, fn func(Event) error) error {
	var rows *sql.Rows
	var err error
	if session == "" {
		rows, err = l.rdb.QueryContext(ctx, `SELECT `+eventColumns+` FROM events WHERE seq > ? ORDER BY seq`, afterSeq)
	} else {
		rows, err = l.rdb.QueryContext(ctx, `SELECT `+eventColumns+` FROM events WHERE session = ? AND seq > ? ORDER BY seq`, session, afterSeq)
	}
	if err != nil {
		return l.readErr(err)
	}
	defer rows.Close()
	var d decoder
	for rows.Next() {
		e, err := d.decode(rows)
		if err != nil {
			return fmt.Errorf("audit log %s: %w", l.path, err)
		}
		if e.Seq%cancelEvery == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return l.readErr(err)
	}
	return nil
}

// LastSeq is the seq of the newest event, 0 if there is none.
func (l *Log) LastSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := l.rdb.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM events`).Scan(&seq); err != nil {
		return 0, l.readErr(err)
	}
	return seq, nil
}

// Span is a session's extent in the log: how many events it has, and its
// first and last one.
type Span struct {
	Events      int64
	First, Last Event
}

// Spans returns every session's span, from one snapshot, without reading
// the events in between (the count comes from the session index).
func (l *Log) Spans(ctx context.Context) (map[string]Span, error) {
	tx, err := l.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, l.readErr(err)
	}
	defer tx.Rollback() // read only: nothing to keep
	rows, err := tx.QueryContext(ctx, `SELECT session, COUNT(*), MIN(seq), MAX(seq) FROM events GROUP BY session`)
	if err != nil {
		return nil, l.readErr(err)
	}
	type ends struct{ n, first, last int64 }
	byID := map[string]ends{}
	for rows.Next() {
		var id string
		var e ends
		if err := rows.Scan(&id, &e.n, &e.first, &e.last); err != nil {
			rows.Close()
			return nil, l.readErr(err)
		}
		byID[id] = e
	}
	if err := rows.Err(); err != nil {
		return nil, l.readErr(err)
	}
	rows.Close()
	var seqs []any
	for _, e := range byID {
		seqs = append(seqs, e.first)
		if e.last != e.first {
			seqs = append(seqs, e.last)
		}
	}
	out := make(map[string]Span, len(byID))
	var d decoder
	for len(seqs) > 0 { // in statements of at most 1,000 keys
		part := seqs[:min(len(seqs), 1000)]
		seqs = seqs[len(part):]
		rows, err := tx.QueryContext(ctx, `SELECT `+eventColumns+` FROM events WHERE seq IN (?`+strings.Repeat(",?", len(part)-1)+`)`, part...)
		if err != nil {
			return nil, l.readErr(err)
		}
		for rows.Next() {
			e, err := d.decode(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("audit log %s: %w", l.path, err)
			}
			ends := byID[e.Session]
			sp := out[e.Session]
			sp.Events = ends.n
			if e.Seq == ends.first {
				sp.First = e
			}
			if e.Seq == ends.last {
				sp.Last = e
			}
			out[e.Session] = sp
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, l.readErr(err)
		}
	}
	return out, nil
}

// HashAt is the stored hash of event seq; ok is false when there is no such
// event.
func (l *Log) HashAt(ctx context.Context, seq int64) (hash string, ok bool, err error) {
	err = l.rdb.QueryRowContext(ctx, `SELECT hash FROM events WHERE seq = ?`, seq).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, l.readErr(err)
	}
	return hash, true, nil
}

// readErr names the log in a read's error; a read stopped by its context
// returns the context's error as is.
func (l *Log) readErr(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("read audit log %s: %w", l.path, err)
}

// decoder turns rows into Events. Sessions, runs, actors and kinds repeat
// from row to row, so it keeps the previous strings instead of allocating.
type decoder struct {
	session, run, actor, kind, phase string
	b                                [5]sql.RawBytes
}

func (d *decoder) decode(rows *sql.Rows) (Event, error) {
	var e Event
	var tm string
	var payload []byte
	if err := rows.Scan(&e.Seq, &d.b[0], &tm, &e.Mono, &d.b[1], &d.b[2], &d.b[3], &d.b[4],
		&e.Item, &payload, &e.PrevHash, &e.Hash); err != nil {
		return Event{}, err
	}
	e.Session = reuse(&d.session, d.b[0])
	e.Run = reuse(&d.run, d.b[1])
	e.Actor = reuse(&d.actor, d.b[2])
	e.Kind = reuse(&d.kind, d.b[3])
	e.Phase = reuse(&d.phase, d.b[4])
	if len(payload) > 0 {
		e.Payload = payload
	}
	t, err := parseTime(tm)
	if err != nil {
		return Event{}, fmt.Errorf("event %d: time %q: %w", e.Seq, tm, err)
	}
	e.Time = t
	return e, nil
}

// reuse returns *last if b holds the same text, else remembers b's text.
func reuse(last *string, b []byte) string {
	if string(b) != *last {
		*last = string(b)
	}
	return *last
}
