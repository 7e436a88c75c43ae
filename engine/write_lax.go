package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The sql_mode of every MySQL session (set in the DSN), and the mode a batch
// holding an ENUM's error value is written in: mysqldump's, which is how a
// dump carries that value exactly.
const (
	strictSQLMode = "STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION"
	laxSQLMode    = "NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION"
)

// laxEnums marks the columns of t named cols that are MySQL ENUMs without an
// empty member. There the empty string is the error value (index 0) that a server in
// non-strict mode stores for a value not in the list; a strict session
// refuses to write it. nil when t has none.
func laxEnums(t *Table, cols []string) []bool {
	var lax []bool
	for i, name := range cols {
		c := t.Column(name)
		if c == nil || !strings.HasPrefix(strings.ToLower(c.Type), "enum(") || hasEmptyMember(c.Type) {
			continue
		}
		if lax == nil {
			lax = make([]bool, len(cols))
		}
		lax[i] = true
	}
	return lax
}

// hasEmptyMember reports whether an ENUM type lists the empty string as a member.
func hasEmptyMember(typ string) bool {
	list := typ[strings.IndexByte(typ, '(')+1:]
	return strings.HasPrefix(list, "''") && !strings.HasPrefix(list, "'''") ||
		strings.Contains(list, ",''") && !strings.Contains(list, ",'''")
}

// laxRows are the rows of b holding the error value (empty) in a lax ENUM
// column. It reads the batch's offsets directly: it runs on every chunk.
func (u *Upserter) laxRows(b *Batch) []int {
	if u.lax == nil {
		return nil
	}
	var cols []int
	for c, lax := range u.lax {
		if lax {
			cols = append(cols, c)
		}
	}
	var rows []int
	for r, n := 0, b.Len(); r < n; r++ {
		for _, c := range cols {
			i := r*b.cols + c
			if b.kinds[i] != KindNull && (i == 0 && b.ends[0] == 0 || i > 0 && b.ends[i] == b.ends[i-1]) {
				rows = append(rows, r)
				break
			}
		}
	}
	return rows
}

// writeLax writes b, whose rows listed in laxRows hold ENUM error values:
// the other rows as usual, those rows in statements under mysqldump's
// sql_mode. Each such statement's warnings must all be that value being
// stored in that column of a row that holds it; any other warning (a value
// truncated, clamped or converted) fails the write, so strictness is kept
// for everything but the error value itself.
func (u *Upserter) writeLax(ctx context.Context, ex Execer, b *Batch, laxRows []int) error {
	tx, ok := ex.(*sql.Tx)
	if !ok { // the session's sql_mode changes: it must be this connection's
		return fmt.Errorf("write ENUM error values to %s: not inside a transaction", u.d)
	}
	lax := NewBatch(b.cols)
	rest := NewBatch(b.cols)
	next := 0
	for r := 0; r < b.Len(); r++ {
		to := rest
		if next < len(laxRows) && laxRows[next] == r {
			to, next = lax, next+1
		}
		for c := 0; c < b.cols; c++ {
			to.Add(b.Value(r, c))
		}
	}
	if rest.Len() > 0 {
		if err := u.Write(ctx, tx, rest); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, "SET SESSION sql_mode = '"+laxSQLMode+"'"); err != nil {
		return err
	}
	err := u.writeChecked(ctx, tx, lax)
	if _, rerr := tx.ExecContext(context.WithoutCancel(ctx), "SET SESSION sql_mode = '"+strictSQLMode+"'"); err == nil {
		err = rerr
	}
	return err
}

// writeChecked writes b in statements small enough that SHOW WARNINGS lists
// every warning (the server keeps 64), and checks them.
func (u *Upserter) writeChecked(ctx context.Context, tx *sql.Tx, b *Batch) error {
	laxCols := 0
	for _, l := range u.lax {
		if l {
			laxCols++
		}
	}
	per := max(1, 32/laxCols) // an upsert may warn twice per value: insert and update
	for from := 0; from < b.Len(); from += per {
		to := min(from+per, b.Len())
		buf := append([]byte{}, u.prefix...)
		for r := from; r < to; r++ {
			if r > from {
				buf = append(buf, ',')
			}
			buf = u.appendRow(buf, b, r)
		}
		buf = append(buf, u.suffix...)
		if _, err := tx.ExecContext(ctx, string(buf)); err != nil {
			return err
		}
		if err := u.checkWarnings(ctx, tx, b, from); err != nil {
			return err
		}
	}
	return nil
}

// appendRow appends row r of b as a parenthesised list of literals.
func (u *Upserter) appendRow(buf []byte, b *Batch, r int) []byte {
	buf = append(buf, '(')
	for c := 0; c < b.cols; c++ {
		if c > 0 {
			buf = append(buf, ',')
		}
		buf = u.appendValue(buf, b.Value(r, c), c)
	}
	return append(buf, ')')
}

var truncatedAt = regexp.MustCompile(`^Data truncated for column '(.*)' at row ([0-9]+)$`)

// checkWarnings fails unless every warning of the last statement, which
// wrote rows from… of b, is an ENUM error value stored where b holds it.
func (u *Upserter) checkWarnings(ctx context.Context, tx *sql.Tx, b *Batch, from int) error {
	var count int
	if err := tx.QueryRowContext(ctx, "SELECT @@warning_count").Scan(&count); err != nil {
		return err
	}
	if count == 0 {
		return nil
	}
	rows, err := tx.QueryContext(ctx, "SHOW WARNINGS")
	if err != nil {
		return err
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var level, msg string
		var code int
		if err := rows.Scan(&level, &code, &msg); err != nil {
			return err
		}
		seen++
		if !u.expectedWarning(b, from, code, msg) {
			return errors.New(msg)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if seen < count {
		return fmt.Errorf("%d warnings writing ENUM error values, only %d listed", count, seen)
	}
	return nil
}

// expectedWarning reports whether a warning is "Data truncated" for a lax
// ENUM column of a row that holds the empty string in it.
func (u *Upserter) expectedWarning(b *Batch, from, code int, msg string) bool {
	m := truncatedAt.FindStringSubmatch(msg)
	if code != 1265 || m == nil {
		return false
	}
	n, _ := strconv.Atoi(m[2])
	r := from + n - 1
	if n < 1 || r >= b.Len() {
		return false
	}
	for c, lax := range u.lax {
		if lax && strings.EqualFold(u.names[c], m[1]) {
			v := b.Value(r, c)
			return v.Kind != KindNull && len(v.B) == 0
		}
	}
	return false
}
