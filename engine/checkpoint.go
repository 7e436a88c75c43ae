package engine

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// CheckpointTable is the table on the TARGET database that holds engine
// checkpoints. A chunk's rows and its checkpoint are written in the same
// transaction, so the checkpoint can never be behind or ahead of the data.
const CheckpointTable = "_runway_checkpoints"

// Checkpoint is how far an engine got with one table.
type Checkpoint struct {
	Job, Table string
	LastKey    []string // canonical text of the last key committed (see Value.Text); nil before the first chunk
	Rows       int64    // rows committed so far, over all runs
	Done       bool
}

// checkpointState is a Checkpoint as stored, with the typed last key.
type checkpointState struct {
	found  bool
	last   []Value
	rows   int64
	chunks int64 // chunks committed; a chunk's sequence number tells whether its commit landed
	done   bool
	// pending are statements to run before the table is done: the
	// secondary indexes of a table the copy created.
	pending []string
}

func (s checkpointState) public(job, table string) Checkpoint {
	c := Checkpoint{Job: job, Table: table, Rows: s.rows, Done: s.done}
	for _, v := range s.last {
		c.LastKey = append(c.LastKey, v.Text())
	}
	return c
}

// ensureCheckpointTable creates the checkpoint table on d when missing.
func ensureCheckpointTable(ctx context.Context, d *DB) error {
	if _, err := d.db.ExecContext(ctx, d.dialect.sql().checkpointTable); err != nil {
		return fmt.Errorf("create %s in %s: %w", CheckpointTable, d, err)
	}
	return nil
}

// loadCheckpoint reads the checkpoint of (job, table) through q.
func loadCheckpoint(ctx context.Context, d *DB, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, job, table string) (checkpointState, error) {
	var s checkpointState
	var key, pending sql.NullString
	var done int
	err := q.QueryRowContext(ctx, d.dialect.bind("SELECT last_key, rows_done, chunks, done, pending FROM "+d.Quote(CheckpointTable)+" WHERE job = ? AND tbl = ?"), job, table).
		Scan(&key, &s.rows, &s.chunks, &done, &pending)
	if isNoRows(err) {
		return checkpointState{}, nil
	}
	if err != nil {
		return s, fmt.Errorf("read checkpoint %s/%s in %s: %w", job, table, d, err)
	}
	s.found, s.done = true, done != 0
	if pending.Valid && pending.String != "" {
		if err := json.Unmarshal([]byte(pending.String), &s.pending); err != nil {
			return s, fmt.Errorf("read checkpoint %s/%s in %s: pending statements: %w", job, table, d, err)
		}
	}
	if key.Valid && key.String != "" {
		if s.last, err = decodeKey(key.String); err != nil {
			return s, fmt.Errorf("read checkpoint %s/%s in %s: %w", job, table, d, err)
		}
	}
	return s, nil
}

// saveCheckpoint writes the checkpoint of (job, table) through ex, normally
// inside the transaction of the chunk it records.
func saveCheckpoint(ctx context.Context, d *DB, ex Execer, job, table string, s checkpointState) error {
	text := func(v string) string { return d.Literal(Value{Kind: KindText, B: []byte(v)}) }
	key, pending := "NULL", "NULL"
	if s.last != nil {
		key = text(encodeKey(s.last))
	}
	if len(s.pending) > 0 {
		b, _ := json.Marshal(s.pending)
		pending = text(string(b))
	}
	done := 0
	if s.done {
		done = 1
	}
	now := time.Now().UTC().Format("2006-01-02 15:04:05.000000")
	// Literals rather than placeholders: on MySQL a placeholder statement
	// costs a prepare, an execute and a close, inside every chunk.
	q := fmt.Sprintf("INSERT INTO %s (job, tbl, last_key, rows_done, chunks, done, pending, updated_at) VALUES (%s, %s, %s, %d, %d, %d, %s, %s)",
		d.Quote(CheckpointTable), text(job), text(table), key, s.rows, s.chunks, done, pending, text(now))
	q += upsertSuffix(d, []string{"job", "tbl"}, []string{"last_key", "rows_done", "chunks", "done", "pending", "updated_at"})
	if _, err := ex.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("write checkpoint %s/%s in %s: %w", job, table, d, err)
	}
	return nil
}

// LoadCheckpoint returns the checkpoint of (job, table) on the target dst;
// ok is false when there is none.
func LoadCheckpoint(ctx context.Context, dst *DB, job, table string) (c Checkpoint, ok bool, err error) {
	if exists, err := dst.Exists(ctx, CheckpointTable); err != nil || !exists {
		return Checkpoint{}, false, err
	}
	s, err := loadCheckpoint(ctx, dst, dst.db, job, table)
	if err != nil || !s.found {
		return Checkpoint{}, false, err
	}
	return s.public(job, table), true, nil
}

// ResetCheckpoint forgets the checkpoint of (job, table) on dst, so that the
// next run starts from the first row (for instance after the target table
// was dropped by a rollback).
func ResetCheckpoint(ctx context.Context, dst *DB, job, table string) error {
	if exists, err := dst.Exists(ctx, CheckpointTable); err != nil || !exists {
		return err
	}
	if _, err := dst.db.ExecContext(ctx, dst.dialect.bind("DELETE FROM "+dst.Quote(CheckpointTable)+" WHERE job = ? AND tbl = ?"), job, table); err != nil {
		return fmt.Errorf("reset checkpoint %s/%s in %s: %w", job, table, dst, err)
	}
	return nil
}

// encodeKey stores a typed key as a JSON array of "<kind letter>:<text>",
// bytes in hex, so that a resumed read uses exactly the same literal.
func encodeKey(k []Value) string {
	parts := make([]string, len(k))
	for i, v := range k {
		parts[i] = kindLetters[v.Kind] + ":" + v.Text()
	}
	b, _ := json.Marshal(parts)
	return string(b)
}

var kindLetters = [...]string{KindNull: "n", KindInt: "i", KindUint: "u", KindFloat: "f", KindDecimal: "d", KindText: "t", KindBytes: "b"}

func decodeKey(s string) ([]Value, error) {
	var parts []string
	if err := json.Unmarshal([]byte(s), &parts); err != nil {
		return nil, fmt.Errorf("malformed key %q: %w", s, err)
	}
	out := make([]Value, len(parts))
	for i, p := range parts {
		letter, text, ok := strings.Cut(p, ":")
		kind := -1
		for k, l := range kindLetters {
			if l == letter {
				kind = k
			}
		}
		if !ok || kind < 0 {
			return nil, fmt.Errorf("malformed key part %q", p)
		}
		v := Value{Kind: Kind(kind), B: []byte(text)}
		switch v.Kind {
		case KindNull:
			v.B = nil
		case KindBytes:
			b, err := hex.DecodeString(text)
			if err != nil {
				return nil, fmt.Errorf("malformed key part %q: %w", p, err)
			}
			v.B = b
		}
		out[i] = v
	}
	return out, nil
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
