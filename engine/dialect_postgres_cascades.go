package engine

import "context"

// cascades: a writer that is not a superuser writes with the target's
// foreign keys in force (see postgresWriterSession), so deleting a row
// runs the ON DELETE action of each that references it.
func (p postgresDialect) cascades(ctx context.Context, d *DB, table string) ([]cascadeRef, string, error) {
	if p.writesAsReplica(ctx, d) {
		return nil, "", nil
	}
	rows, err := d.db.QueryContext(ctx, pgCascades, table)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var refs []cascadeRef
	for rows.Next() {
		var r cascadeRef
		if err := rows.Scan(&r.name, &r.child, &r.action); err != nil {
			return nil, "", err
		}
		refs = append(refs, r)
	}
	return refs, "runway's PostgreSQL user is not a superuser, so the target's foreign keys act on its writes; run runway as a superuser", rows.Err()
}

// pgCascades lists the foreign keys referencing a table of the current
// schema whose ON DELETE action changes other rows: CASCADE, SET NULL,
// SET DEFAULT. A partition's copies of a foreign key are left out.
const pgCascades = `SELECT con.conname, cc.relname,
		CASE con.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' ELSE 'SET DEFAULT' END
		FROM pg_constraint con JOIN pg_class cc ON cc.oid = con.conrelid
		WHERE con.contype = 'f' AND con.confdeltype IN ('c', 'n', 'd') AND con.conparentid = 0
		  AND con.confrelid = (SELECT oid FROM pg_class
		  WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND relname = $1)
		ORDER BY cc.relname, con.conname`
