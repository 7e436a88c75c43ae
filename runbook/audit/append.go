package audit

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// pending is an event checked and masked, ready to be chained and stored.
type pending struct {
	e       Event
	payload string
}

// Append durably records one event: when it returns without error the event
// is on disk (synchronous=FULL). It fills Seq, Time (if zero), Mono, Run,
// PrevHash and Hash. A failure to write returns an error wrapping
// ErrUnwritable and poisons the log.
func (l *Log) Append(e Event) (Event, error) { return l.Redacting(l.redactor()).Append(e) }

// AppendBatch records several events in one transaction: all or none. It is
// for high-rate telemetry, where one fsync per event would cost too much.
func (l *Log) AppendBatch(es []Event) ([]Event, error) {
	return l.Redacting(l.redactor()).AppendBatch(es)
}

// appendEvents masks es's payloads with fn, then chains and stores them.
func (l *Log) appendEvents(fn func(string) string, es []Event, out []Event) error {
	ps := make([]pending, len(es))
	for i := range es {
		if err := es[i].validate(); err != nil {
			return err
		}
		p, err := redactPayload(fn, es[i].Payload)
		if err != nil {
			return err
		}
		ps[i] = pending{e: es[i], payload: p}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.writeTx(func(w *writer) error { return l.insertEvents(w, ps, out) })
}

// insertEvents chains ps after the current tail and inserts them. It runs
// inside writeTx.
func (l *Log) insertEvents(w *writer, ps []pending, out []Event) error {
	var seq int64
	var prev string
	if err := w.tail.QueryRow().Scan(&seq, &prev); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	for i := range ps {
		e := ps[i].e
		now := time.Now()
		if e.Time.IsZero() {
			e.Time = now
		}
		e.Time = e.Time.UTC()
		seq++
		r := row{
			seq:      seq,
			session:  e.Session,
			time:     formatTime(e.Time),
			mono:     int64(now.Sub(l.start)),
			run:      l.run,
			actor:    e.Actor,
			kind:     e.Kind,
			phase:    e.Phase,
			item:     e.Item,
			payload:  ps[i].payload,
			prevHash: prev,
		}
		hash := l.h.sum(&r)
		if _, err := w.insert.Exec(r.seq, r.session, r.time, r.mono, r.run, r.actor, r.kind,
			r.phase, r.item, r.payload, r.prevHash, hash); err != nil {
			if isConstraint(err) {
				return inputError{fmt.Errorf("%w: %s: session %q does not exist in %s", ErrInvalidEvent, e.Kind, e.Session, l.path)}
			}
			return err
		}
		e.Seq, e.Mono, e.Run, e.PrevHash, e.Hash = r.seq, r.mono, r.run, r.prevHash, hash
		e.Payload = nil
		if r.payload != "" {
			e.Payload = json.RawMessage(r.payload)
		}
		out[i] = e
		prev = hash
	}
	return nil
}
