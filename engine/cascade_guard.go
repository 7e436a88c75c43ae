package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Where runway's writers keep the target's foreign keys in force (a
// PostgreSQL user that is not a superuser cannot write as a replica),
// deleting a row runs the ON DELETE action of each foreign key that
// references it. A row cleared for a unique value that moved (see
// unique_moves.go) is still on the source, and so are its children: no
// log row and no repaired difference brings back what a CASCADE, SET NULL
// or SET DEFAULT did to them. So such a clear is refused, and the batch,
// written in one transaction, is not. (A row a MySQL source lost to a cascade, which its triggers
// do not log, is refused too: the target cannot tell it apart.) NO ACTION
// and RESTRICT refuse the delete themselves.

// cascadeRef is a foreign key of the target whose ON DELETE action
// changes the rows referencing a deleted row.
type cascadeRef struct {
	name, child, action string // "orders_account_fk", "orders", "CASCADE"
}

// cascader is a dialect whose writers may keep the target's foreign keys
// in force. MySQL's and SQLite's never do (foreign_key_checks = 0,
// foreign_keys off), so no delete of theirs cascades.
type cascader interface {
	// cascades lists the foreign keys that a delete from table by
	// runway's writers acts through, and why they are in force.
	cascades(ctx context.Context, d *DB, table string) (refs []cascadeRef, why string, err error)
}

// loadCascades fills t.cascades and t.cascadesWhy.
func (d *DB) loadCascades(ctx context.Context, t *Table) error {
	t.cascades, t.cascadesWhy = nil, ""
	c, ok := d.dialect.(cascader)
	if !ok {
		return nil
	}
	refs, why, err := c.cascades(ctx, d, t.Name)
	if err != nil {
		return fmt.Errorf("read the foreign keys referencing %s in %s: %w", t.Name, d, err)
	}
	t.cascades, t.cascadesWhy = refs, why
	return nil
}

// clearStop is the refusal to clear a row: its delete would cascade, or
// the source still has it as it is (see unique_collide.go).
type clearStop struct{ msg string }

func (e *clearStop) Error() string { return e.msg }

func isClearStop(err error) bool {
	var stop *clearStop
	return errors.As(err, &stop)
}

// movedCascade refuses to clear the row of t that holds, under its key
// keyNames, a value of the unique key uk (held: the key's values, then
// uk's), naming the row of b that takes that value.
func (d *DB) movedCascade(t *Table, names, keyNames, uk, held []string, b *Batch) error {
	gone, value := held[:len(keyNames)], held[len(keyNames):]
	to := "another row"
	if r, ok := takerOf(b, names, uk, value); ok {
		to = "row " + rowKey(b, r, keyNames, mustPositions(names, keyNames))
	}
	return d.refuseCascade(t, "row "+namedKey(keyNames, gone)+" holds "+columnList(uk)+" that moved to "+to)
}

// refuseCascade is the error for a row of t, described by row, that
// clearing would delete through t.cascades.
func (d *DB) refuseCascade(t *Table, row string) error {
	ref, others := t.cascades[0], ""
	if n := len(t.cascades) - 1; n > 0 {
		others = fmt.Sprintf(" and %d other foreign keys", n)
	}
	return &clearStop{fmt.Sprintf("%s in %s: %s; clearing it would cascade through foreign key %s of %s (ON DELETE %s)%s because %s, or drop that foreign key on the target while runway writes and add it back afterwards",
		t.Name, d, row, ref.name, ref.child, ref.action, others, t.cascadesWhy)}
}

// takerOf finds the row of b that holds value under the unique key uk.
func takerOf(b *Batch, names, uk, value []string) (int, bool) {
	pos := mustPositions(names, uk)
	for r := 0; r < b.Len(); r++ {
		same := true
		for i, p := range pos {
			same = same && b.Value(r, p).Text() == value[i]
		}
		if same {
			return r, true
		}
	}
	return 0, false
}

// mustPositions is positions for columns known to be among names.
func mustPositions(names, cols []string) []int {
	pos, _ := positions(names, cols)
	return pos
}

// columnList names columns as "email" or "(a, b)".
func columnList(cols []string) string {
	if len(cols) == 1 {
		return cols[0]
	}
	return "(" + strings.Join(cols, ", ") + ")"
}
