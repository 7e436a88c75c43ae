package engine

import (
	"context"
	"fmt"
	"strings"
)

// Between two PostgreSQL databases a column keeps its type by name: a
// created table names it, an existing one must have it. runway creates a
// missing enum type (see pgColumns) and nothing else, so a domain, a
// composite, a range or an extension's type must exist on the target, and
// a type of that name there must be the same type: an enum with other
// labels or another order, a domain with another check, a composite with
// other fields would refuse rows half way through the copy, or take them
// and mean something else.

// pgTypeSignature describes the type named name (an array: its element) in
// d: its kind and what defines it. found is false when d has no such type.
const pgTypeSignature = `WITH b AS (SELECT CASE WHEN x.typcategory = 'A' AND x.typelem <> 0 THEN x.typelem ELSE x.oid END AS oid
		FROM pg_type x WHERE x.oid = to_regtype($1))
	SELECT CASE t.typtype
		WHEN 'e' THEN 'an enum (' || COALESCE((SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
			FROM pg_enum e WHERE e.enumtypid = t.oid), '') || ')'
		WHEN 'd' THEN 'a domain over ' || format_type(t.typbasetype, t.typtypmod) || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END ||
			COALESCE((SELECT ' ' || string_agg(pg_get_constraintdef(c.oid), ' ' ORDER BY pg_get_constraintdef(c.oid))
			FROM pg_constraint c WHERE c.contypid = t.oid), '')
		WHEN 'c' THEN 'a composite (' || COALESCE((SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
			FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '') || ')'
		WHEN 'r' THEN 'a range of ' || COALESCE((SELECT format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid), '?')
		WHEN 'm' THEN 'a multirange'
		ELSE 'a base type'
		END, n.nspname, pg_type_is_visible(t.oid)
	FROM b JOIN pg_type t ON t.oid = b.oid JOIN pg_namespace n ON n.oid = t.typnamespace`

type pgTypeSig struct {
	found   bool
	sig     string
	schema  string // the schema holding the type
	visible bool   // named without its schema
}

func readPGTypeSig(ctx context.Context, d *DB, name string) (pgTypeSig, error) {
	var s pgTypeSig
	err := d.db.QueryRowContext(ctx, pgTypeSignature, name).Scan(&s.sig, &s.schema, &s.visible)
	switch {
	case isNoRows(err):
		return pgTypeSig{}, nil
	case err != nil:
		return s, fmt.Errorf("read type %s in %s: %w", name, d, err)
	}
	s.found = true
	return s, nil
}

// ownTypeProblems checks, between two PostgreSQL databases, every column
// of tp's source table whose type is not built in: its type exists on the
// target as the same type, or is an enum the copy creates (in a schema the
// target has). created tells that the copy would create the table.
func (postgresDialect) ownTypeProblems(ctx context.Context, src, dst *DB, tp *TablePlan, created bool, p *Plan) error {
	if !sameDialect(src, dst) {
		return nil
	}
	seen := map[string]bool{}
	for _, c := range tp.st.Columns {
		if c.CastType == "" || strings.HasPrefix(c.CastType, "pg_catalog.") {
			continue
		}
		if !created {
			tc := tp.dt.Column(c.Name)
			if tc == nil || tc.Type != c.Type {
				continue // the column check names it
			}
		}
		if seen[c.Type] {
			continue
		}
		seen[c.Type] = true
		ss, err := readPGTypeSig(ctx, src, c.CastType)
		if err != nil || !ss.found {
			return err
		}
		ds, err := readPGTypeSig(ctx, dst, c.Type)
		if err != nil {
			return err
		}
		switch {
		case !ds.found && created && c.pgEnum != "":
			if ss.visible {
				continue // created in the target's schema
			}
			var ok bool
			if err := dst.db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", ss.schema).Scan(&ok); err != nil {
				return fmt.Errorf("read schemas of %s: %w", dst, err)
			}
			if !ok {
				p.problem(tp.Name, c.Name, "%s.%s is of type %s, %s in the schema %s, which does not exist in %s: create the schema there first",
					tp.Name, c.Name, c.Type, ss.sig, ss.schema, dst)
			}
		case !ds.found:
			p.problem(tp.Name, c.Name, "%s.%s is of type %s, %s, which does not exist in %s: create it there first (runway creates enum types only)",
				tp.Name, c.Name, c.Type, ss.sig, dst)
		case ds.sig != ss.sig:
			p.problem(tp.Name, c.Name, "%s.%s is of type %s, %s on the source but %s in %s: make the two types the same first",
				tp.Name, c.Name, c.Type, ss.sig, ds.sig, dst)
		}
	}
	return nil
}
