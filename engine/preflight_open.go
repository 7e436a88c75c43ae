package engine

import (
	"context"
	"errors"
	"io/fs"
	"os"
)

// A SQLite target that does not exist yet is planned against an empty
// in-memory database named as the file, so that a preflight (and a plan)
// never creates the file: a refused copy leaves no trace.

// missingSQLite reports whether d is a SQLite file that does not exist.
func missingSQLite(d *DB) bool {
	if !d.dialect.attaches() || d.path == "" || d.path == ":memory:" {
		return false
	}
	_, err := os.Stat(d.path)
	return errors.Is(err, fs.ErrNotExist)
}

// standIn returns the database a preflight reads for d: d itself, or for
// a missing SQLite file an empty in-memory one with d's name and path.
// done releases it.
func standIn(d *DB) (db *DB, done func(), err error) {
	if !missingSQLite(d) {
		return d, func() {}, nil
	}
	m, err := openSQLite("file:runway-plan?mode=memory", true)
	if err != nil {
		return nil, nil, err
	}
	m.ident, m.path = d.ident, d.path
	return m, func() { m.Close() }, nil
}

// PreflightPlan is Preflight as `copy --plan` runs it: it writes nothing,
// not even a SQLite target file that does not exist yet (the plan then
// says that the copy will create it).
func PreflightPlan(ctx context.Context, src, dst *DB, opts PreflightOptions) (*Plan, error) {
	missing := missingSQLite(dst)
	d, done, err := standIn(dst)
	if err != nil {
		return nil, err
	}
	defer done()
	p, err := Preflight(ctx, src, d, opts)
	if err == nil && missing {
		p.TargetNote = dst.String() + " does not exist yet: the " + p.Engine + " creates it"
	}
	return p, err
}
