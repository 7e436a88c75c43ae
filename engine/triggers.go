package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Change-log triggers. InstallTriggers creates, on the source, the change
// log (when missing) and three AFTER triggers per table that record every
// inserted, updated and deleted row's key in it, in the format Catchup
// reads; an update that changes the key records the old key as well, so
// the row under the old key is deleted on the target. RemoveTriggers drops
// them again (the log table stays: it may still be needed).
//
// Trigger names are runway_<table>_ins, _upd and _del (shortened with a
// hash when the name would pass 64 characters).

// triggerEvents are the trigger name suffixes and their events.
var triggerEvents = []struct{ suffix, event string }{{"ins", "INSERT"}, {"upd", "UPDATE"}, {"del", "DELETE"}}

// triggerName is the name of table's trigger for one event.
func triggerName(table, suffix string) string {
	n := "runway_" + table + "_" + suffix
	if len(n) <= 64 && !strings.ContainsAny(n, "`\"") {
		return n
	}
	h := sha256.Sum256([]byte(table))
	return "runway_" + hex.EncodeToString(h[:8]) + "_" + suffix
}

// EnsureChangeLog creates the change-log table on d when it is missing,
// with an identity of its own (see catchup_log_ident.go).
func EnsureChangeLog(ctx context.Context, d *DB, logTable string) error {
	exists, err := d.Exists(ctx, logTable)
	if err != nil || exists {
		return err
	}
	for _, q := range d.dialect.createChangeLog(d.Quote(logTable), logIdentPrefix+newLogIdent()) {
		if _, err := d.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("create change log %s in %s: %w", logTable, d, err)
		}
	}
	return nil
}

// installRetryFor is how long InstallTriggers retries a step that failed
// on a lost connection or a lock wait.
const installRetryFor = time.Minute

// InstallTriggers creates the change log and the triggers of every table on
// src, skipping triggers that exist already. It returns how many it created.
// Each step is safe to run again, so a transient failure is retried: a
// trigger whose CREATE was answered by a lost link is looked up again
// rather than created twice.
func InstallTriggers(ctx context.Context, src *DB, logTable string, tables []string) (int, error) {
	if err := retrySetup(ctx, installRetryFor, func() error { return EnsureChangeLog(ctx, src, logTable) }); err != nil {
		return 0, err
	}
	created := 0
	for _, name := range tables {
		var t *Table
		err := retrySetup(ctx, installRetryFor, func() (err error) {
			t, err = src.Table(ctx, name)
			return err
		})
		if err != nil {
			return created, fmt.Errorf("install triggers on %s: %w", name, err)
		}
		for _, ev := range triggerEvents {
			made, err := installTrigger(ctx, src, t, logTable, ev.suffix, ev.event)
			if err != nil {
				return created, err
			}
			if made {
				created++
			}
		}
	}
	return created, nil
}

// installTrigger creates t's trigger for one event unless it exists, and
// tells whether this call created it.
func installTrigger(ctx context.Context, src *DB, t *Table, logTable, suffix, event string) (made bool, err error) {
	tn := triggerName(t.Name, suffix)
	absent := false     // seen missing by an earlier attempt of this call
	unanswered := false // an earlier attempt's CREATE went out and its answer was lost
	err = retrySetup(ctx, installRetryFor, func() error {
		exists, err := triggerExists(ctx, src, tn)
		if err != nil {
			return err
		}
		if exists {
			made = absent
			return nil
		}
		absent = true
		for _, q := range triggerSQL(src, t, logTable, tn, event) {
			if _, err := src.db.ExecContext(ctx, q); err != nil {
				// A CREATE whose link was lost while it waited for a lock
				// goes on in the server: this one then finds its trigger.
				if unanswered && !Transient(err) {
					if exists, xerr := triggerExists(ctx, src, tn); xerr == nil && exists {
						made = true
						return nil
					}
				}
				unanswered = unanswered || Transient(err)
				return fmt.Errorf("create trigger %s on %s in %s: %w", tn, t.Name, src, err)
			}
		}
		made = true
		return nil
	})
	return made, err
}

// RemoveTriggers drops the triggers InstallTriggers created on the tables
// and returns how many there were. Without tables it drops every runway_…
// trigger that writes into logTable. Each step is retried on a transient
// error: a trigger whose DROP was answered by a lost link is looked up
// again, found gone, and counted once.
func RemoveTriggers(ctx context.Context, src *DB, logTable string, tables []string) (int, error) {
	var names []string
	if len(tables) == 0 {
		err := retrySetup(ctx, installRetryFor, func() (err error) {
			names, err = loggingTriggers(ctx, src, logTable)
			return err
		})
		if err != nil {
			return 0, err
		}
	}
	for _, name := range tables {
		for _, ev := range triggerEvents {
			names = append(names, triggerName(name, ev.suffix))
		}
	}
	dropped := 0
	for _, tn := range names {
		gone, err := removeTrigger(ctx, src, tn)
		if err != nil {
			return dropped, err
		}
		if gone {
			dropped++
		}
	}
	return dropped, nil
}

// removeTrigger drops trigger tn if it exists, and tells whether this call
// dropped it.
func removeTrigger(ctx context.Context, src *DB, tn string) (gone bool, err error) {
	present := false // seen there by an earlier attempt of this call
	err = retrySetup(ctx, installRetryFor, func() error {
		exists, err := triggerExists(ctx, src, tn)
		if err != nil {
			return err
		}
		if !exists {
			gone = present
			return nil
		}
		present = true
		if _, err := src.db.ExecContext(ctx, src.dialect.dropOwnTrigger(src.Quote(tn))); err != nil {
			return fmt.Errorf("drop trigger %s in %s: %w", tn, src, err)
		}
		gone = true
		return nil
	})
	return gone, err
}

// loggingTriggers lists the runway_… triggers whose body writes into logTable.
func loggingTriggers(ctx context.Context, d *DB, logTable string) ([]string, error) {
	trs, err := logTriggers(ctx, d, logTable)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, tr := range trs {
		out = append(out, tr.name)
	}
	return out, nil
}

// logTrigger is a runway_… trigger that writes into a change log, and the
// table it fires on.
type logTrigger struct{ name, table string }

// logTriggers lists the runway_… triggers whose body writes into logTable.
func logTriggers(ctx context.Context, d *DB, logTable string) ([]logTrigger, error) {
	rows, err := d.db.QueryContext(ctx, d.dialect.sql().runwayTriggers)
	if err != nil {
		return nil, fmt.Errorf("list triggers in %s: %w", d, err)
	}
	defer rows.Close()
	var out []logTrigger
	for rows.Next() {
		var tr logTrigger
		var body string
		if err := rows.Scan(&tr.name, &tr.table, &body); err != nil {
			return nil, fmt.Errorf("list triggers in %s: %w", d, err)
		}
		if strings.Contains(body, "INSERT INTO "+d.Quote(logTable)+" ") {
			out = append(out, tr)
		}
	}
	return out, rows.Err()
}

func triggerExists(ctx context.Context, d *DB, name string) (bool, error) {
	var n int
	if err := d.db.QueryRowContext(ctx, d.dialect.sql().triggerExists, name).Scan(&n); err != nil {
		return false, fmt.Errorf("look up trigger %s in %s: %w", name, d, err)
	}
	return n > 0, nil
}

// keyExpr is the logged key of the row NEW or OLD: the value as text for a
// single-column key (bytes in hex), a JSON array for a composite key.
func keyExpr(d *DB, t *Table, row string) string {
	parts := make([]string, len(t.Key))
	for i, k := range t.Key {
		c := t.Columns[k]
		e := row + "." + d.Quote(c.Name)
		switch c.Family {
		case FamBytes, FamBit:
			e = d.dialect.hexKey(e)
		case FamTimestamp:
			e = d.dialect.timestampKey(e, c.Scale)
		}
		parts[i] = e
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return d.dialect.jsonArray(strings.Join(parts, ", "))
}

// keyChanged is the condition "the update changed the key".
func keyChanged(d *DB, t *Table) string {
	var conds []string
	for _, k := range t.Key {
		q := d.Quote(t.Columns[k].Name)
		conds = append(conds, d.dialect.distinct("OLD."+q, "NEW."+q))
	}
	return strings.Join(conds, " OR ")
}

func triggerSQL(d *DB, t *Table, logTable, name, event string) []string {
	logInsert := "INSERT INTO " + d.Quote(logTable) + " (table_name, pk)"
	ins := func(row string) string {
		return logInsert + " VALUES (" + sqlString(t.Name) + ", " + keyExpr(d, t, row) + ")"
	}
	var body string
	switch event {
	case "INSERT":
		body = ins("NEW") + ";"
	case "DELETE":
		body = ins("OLD") + ";"
	default:
		body = d.dialect.updateTrigger(ins("NEW"), ins("OLD"), logInsert, sqlString(t.Name)+", "+keyExpr(d, t, "OLD"), keyChanged(d, t))
	}
	return d.dialect.createTrigger(d.Quote(name), d.Quote(t.Name), event, body)
}

// sqlString quotes s as a string literal both engines read the same way
// (no backslashes in table names).
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
