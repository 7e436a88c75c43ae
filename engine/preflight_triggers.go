package engine

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

// TriggerInfo is a trigger on a target table.
type TriggerInfo struct {
	Name   string
	When   string // e.g. "AFTER INSERT"
	Drop   string // the statement that drops it
	Allows bool   // the engine may write with it in place
}

// ForeignKeyInfo is a foreign key of a target table (or of the source
// table, when a copy creates the target with it).
type ForeignKeyInfo struct {
	Name       string
	Columns    string // "customer_id"
	References string // "customers (id)"
}

// planTriggers lists the triggers of an existing target table. An engine
// that writes there refuses them unless allowed: they fire on every row
// written, and what they write is nobody's copy.
func planTriggers(ctx context.Context, dst *DB, tp *TablePlan, opts PreflightOptions, p *Plan) error {
	if !tp.Exists {
		return nil
	}
	trs, err := targetTriggers(ctx, dst, tp.TargetName)
	if err != nil {
		return err
	}
	tp.Triggers = trs
	for i := range tp.Triggers {
		tr := &tp.Triggers[i]
		switch {
		case !writes(opts):
			tp.Notes = append(tp.Notes, fmt.Sprintf("trigger %s (%s): does not fire, %s only reads", tr.Name, tr.When, opts.Engine))
		case opts.AllowTargetTriggers:
			tr.Allows = true
			tp.Notes = append(tp.Notes, fmt.Sprintf("trigger %s (%s): %s", tr.Name, tr.When, allowedTrigger(ctx, dst)))
		default:
			p.problem(tp.Name, "", "trigger %s (%s) on the target table %s in %s would fire on every row written and change what the %s writes: drop it (%s) or allow it (--allow-target-triggers; allow_target_triggers: true in a runbook)",
				tr.Name, tr.When, tp.TargetName, dst, opts.Engine, tr.Drop)
		}
	}
	return nil
}

// replicaWriter is a dialect whose writers may write as a replica, which
// fires no trigger.
type replicaWriter interface {
	writesAsReplica(ctx context.Context, d *DB) bool
}

// allowedTrigger says what an allowed target trigger does while runway
// writes: a PostgreSQL superuser writes as a replica, which fires none.
func allowedTrigger(ctx context.Context, d *DB) string {
	if rw, ok := d.dialect.(replicaWriter); ok && rw.writesAsReplica(ctx, d) {
		return "does not fire (allowed): runway's user is a superuser and writes with session_replication_role = replica"
	}
	return "fires on every row written (allowed)"
}

var sqliteTriggerWhen = regexp.MustCompile(`(?is)^\s*CREATE\s+(?:TEMP\w*\s+)?TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:"[^"]*"|\S+)\s+(BEFORE\s+|AFTER\s+|INSTEAD\s+OF\s+)?(INSERT|UPDATE|DELETE)`)

// targetTriggers reads the triggers on table.
func targetTriggers(ctx context.Context, d *DB, table string) ([]TriggerInfo, error) {
	rows, err := d.db.QueryContext(ctx, d.dialect.sql().tableTriggers, table)
	if err != nil {
		return nil, fmt.Errorf("read triggers of %s in %s: %w", table, d, err)
	}
	defer rows.Close()
	var out []TriggerInfo
	for rows.Next() {
		var tr TriggerInfo
		if err := rows.Scan(&tr.Name, &tr.When); err != nil {
			return nil, fmt.Errorf("read triggers of %s in %s: %w", table, d, err)
		}
		tr.When = d.dialect.triggerWhen(tr.When)
		tr.Drop = d.dialect.dropTrigger(d.Quote(tr.Name), d.Quote(table)) + ";"
		out = append(out, tr)
	}
	return out, rows.Err()
}

// sqliteWhen reads "BEFORE INSERT" from a SQLite trigger's definition.
func sqliteWhen(def string) string {
	m := sqliteTriggerWhen.FindStringSubmatch(def)
	if m == nil {
		return "on change"
	}
	when := strings.ToUpper(strings.Join(strings.Fields(m[1]), " "))
	if when == "" {
		when = "BEFORE"
	}
	return when + " " + strings.ToUpper(m[2])
}

// planForeignKeys lists the foreign keys the target table has (or will
// have) and notes what the engine does about them.
func planForeignKeys(ctx context.Context, src, dst *DB, tp *TablePlan, opts PreflightOptions) error {
	var fks []ForeignKeyInfo
	var err error
	switch {
	case tp.Exists:
		fks, err = foreignKeys(ctx, dst, tp.TargetName)
	case tp.Create != nil && sameDialect(src, dst):
		fks, err = foreignKeys(ctx, src, tp.st.Name) // created with the source's own definition
	case tp.Create != nil:
		if fks, err = foreignKeys(ctx, src, tp.st.Name); err == nil && len(fks) > 0 {
			tp.Foreign = fks
			tp.Notes = append(tp.Notes, "foreign keys: the source's, not created on the target (across engines types are translated, foreign keys are not)")
		}
		return err
	}
	if err != nil || len(fks) == 0 {
		return err
	}
	tp.Foreign = fks
	tp.Notes = append(tp.Notes, foreignKeyNote(dst, opts))
	return nil
}

// foreignKeyNote says what the engine does about the target's foreign keys.
func foreignKeyNote(dst *DB, opts PreflightOptions) string {
	switch {
	case !writes(opts):
		return "foreign keys: not involved, " + opts.Engine + " only reads"
	case dst.dialect.foreignKeyNote() != "":
		return dst.dialect.foreignKeyNote()
	case opts.Engine == PlanCopy:
		return "foreign keys: not checked while copying (foreign_key_checks = 0), so tables copy in any order; rows whose parents are not copied stay orphaned"
	case opts.Engine == PlanVerify:
		return "foreign keys: not checked while repairing (foreign_key_checks = 0, as copy writes), so a child row is repaired before its parent"
	}
	return "foreign keys: not checked while catching up (foreign_key_checks = 0, as copy writes), since a batch's tables are written one after another, not in the source's order; rows referencing a changed key are compared on both sides and read again from the source, so the source's cascades are followed (through keys that reference the parent's key)"
}

// foreignKeys reads the foreign keys of table.
func foreignKeys(ctx context.Context, d *DB, table string) ([]ForeignKeyInfo, error) {
	rows, err := d.db.QueryContext(ctx, d.dialect.sql().foreignKeys, table)
	if err != nil {
		return nil, fmt.Errorf("read foreign keys of %s in %s: %w", table, d, err)
	}
	defer rows.Close()
	type fk struct {
		cols, refCols []string
		ref           string
	}
	byName := map[string]*fk{}
	var order []string
	for rows.Next() {
		var name, col, ref, refCol string
		if err := rows.Scan(&name, &col, &ref, &refCol); err != nil {
			return nil, fmt.Errorf("read foreign keys of %s in %s: %w", table, d, err)
		}
		if byName[name] == nil {
			byName[name] = &fk{ref: ref}
			order = append(order, name)
		}
		byName[name].cols = append(byName[name].cols, col)
		byName[name].refCols = append(byName[name].refCols, refCol)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read foreign keys of %s in %s: %w", table, d, err)
	}
	var out []ForeignKeyInfo
	for _, name := range order {
		f := byName[name]
		out = append(out, ForeignKeyInfo{Name: d.dialect.foreignKeyLabel(name), Columns: strings.Join(f.cols, ", "),
			References: f.ref + " (" + strings.Join(f.refCols, ", ") + ")"})
	}
	return out, nil
}
