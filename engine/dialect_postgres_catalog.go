package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// pgTableOID finds a table of the current schema: its oid, or 0.
const pgTableOID = `SELECT c.oid::int8 FROM pg_class c
	WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND c.relname = $1 AND c.relkind IN ('r', 'p')`

// describePostgres reads a table's shape from pg_catalog. A partitioned
// table is read through its parent, which holds every partition's rows.
func describePostgres(ctx context.Context, d *DB, name string) (*Table, error) {
	var oid int64
	if err := d.db.QueryRowContext(ctx, pgTableOID, name).Scan(&oid); err != nil {
		if isNoRows(err) {
			return nil, fmt.Errorf("table %s in %s: %w", name, d, ErrNoTable)
		}
		return nil, fmt.Errorf("read definition of %s in %s: %w", name, d, err)
	}
	t := &Table{Name: name}
	gen, enums, err := pgColumns(ctx, d, t, oid)
	if err != nil {
		return nil, err
	}
	idx, err := pgIndexes(ctx, d, t, oid)
	if err != nil {
		return nil, err
	}
	t.Create = append(append(enums, pgCreateTable(t, gen)), idx...)
	return t, nil
}

// pgColumns reads the columns of table oid into t and returns the
// expressions of its generated columns, by column name, and the statements
// creating its enum types where they are missing.
func pgColumns(ctx context.Context, d *DB, t *Table, oid int64) (gen map[string]string, enums []string, err error) {
	rows, err := d.db.QueryContext(ctx, `SELECT a.attname, format_type(a.atttypid, a.atttypmod), ty.typname,
		ty.typtype::text, ty.typcategory::text, a.attnotnull, a.attgenerated::text, a.atttypmod,
		COALESCE(CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END, ''),
		COALESCE((SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_enum e
		  WHERE e.enumtypid = CASE WHEN ty.typtype = 'e' THEN ty.oid ELSE ty.typelem END), ''),
		COALESCE(CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END, ''), a.attidentity::text,
		quote_ident(tn.nspname) || '.' || quote_ident(ty.typname),
		COALESCE((SELECT format_type(et.oid, NULL) FROM pg_type et
		  WHERE et.oid = CASE WHEN ty.typtype = 'e' THEN ty.oid ELSE ty.typelem END AND et.typtype = 'e'), '')
		FROM pg_attribute a JOIN pg_type ty ON ty.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = ty.typnamespace
		LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
		WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`, oid)
	if err != nil {
		return nil, nil, fmt.Errorf("read columns of %s in %s: %w", t.Name, d, err)
	}
	defer rows.Close()
	gen = map[string]string{}
	for rows.Next() {
		var c Column
		var typname, typtype, category, generated, expr, labels, dflt, identity string
		var notNull bool
		var typmod int
		if err := rows.Scan(&c.Name, &c.Type, &typname, &typtype, &category, &notNull, &generated, &typmod, &expr, &labels, &dflt, &identity, &c.CastType, &c.pgEnum); err != nil {
			return nil, nil, fmt.Errorf("read columns of %s in %s: %w", t.Name, d, err)
		}
		c.Nullable, c.Generated = !notNull, generated != ""
		if c.Generated {
			gen[c.Name] = expr
		}
		if c.pgEnum != "" { // an enum, or an array of one
			create := "DO $runway$BEGIN CREATE TYPE " + c.pgEnum + " AS ENUM (" + labels +
				"); EXCEPTION WHEN duplicate_object THEN NULL; END$runway$"
			if !slices.Contains(enums, create) {
				enums = append(enums, create)
			}
		}
		pgFamily(&c, typname, typtype, category, typmod)
		c.Default = pgDefault(dflt, identity).fitFamily(c.Family)
		t.Columns = append(t.Columns, c)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("read columns of %s in %s: %w", t.Name, d, err)
	}
	return gen, enums, nil
}

// pgDefault reads a column default as pg_get_expr prints it; a serial's
// nextval and an identity column number rows, and are not carried.
func pgDefault(expr, identity string) Default {
	d := parseDefault(expr, unquotePG)
	if strings.HasPrefix(expr, "nextval(") || identity != "" {
		d.Sequence = true
		if d.Kind == DefaultOther {
			d.Kind = NoDefault
		}
	}
	return d
}

// pgFamily classifies a PostgreSQL type. Types without an equivalent in
// the other databases (arrays, intervals, ranges, geometry, money, …) are
// FamOther: read and written as their text, which PostgreSQL reads back
// exactly, and refused by the preflight towards another database.
func pgFamily(c *Column, typname, typtype, category string, typmod int) {
	switch {
	case category == "A":
		c.Family = FamOther
		return
	case typtype == "e": // an enum: its label
		c.Family = FamText
		return
	}
	switch typname {
	case "int2", "int4", "int8":
		c.Family = FamInt
		c.Type = map[string]string{"int2": "smallint", "int4": "int", "int8": "bigint"}[typname]
	case "float4":
		c.Family = FamFloat
	case "float8":
		c.Family = FamDouble
	case "numeric":
		c.Family = FamDecimal
		if typmod >= 4 {
			c.Precision, c.Scale = ((typmod-4)>>16)&0xffff, (typmod-4)&0xffff
		} else {
			c.Unbounded = true
		}
	case "bool":
		c.Family = FamBool
	case "text", "varchar", "bpchar", "name", "citext":
		c.Family = FamText
		if typmod >= 4 && typname != "text" {
			c.Length = int64(typmod - 4)
			// the short spelling, which the other databases' translations know
			c.Type = fmt.Sprintf("%s(%d)", map[string]string{"varchar": "varchar", "bpchar": "char"}[typname], c.Length)
		}
	case "uuid":
		c.Family, c.Length = FamText, 36
	case "bytea":
		c.Family = FamBytes
	case "date":
		c.Family = FamDate
	case "timestamp", "timestamptz", "time":
		c.Family = map[string]Family{"timestamp": FamDateTime, "timestamptz": FamTimestamp, "time": FamTime}[typname]
		c.Scale = 6
		if typmod >= 0 {
			c.Scale = typmod
		}
	case "json", "jsonb":
		c.Family = FamJSON
	default:
		c.Family = FamOther
	}
}

// pgIndexes chooses t's key among its unique indexes (the primary key
// first, else the narrowest over NOT NULL columns; partial and expression
// indexes cannot order a keyset) and returns the statements creating the
// table's other indexes.
func pgIndexes(ctx context.Context, d *DB, t *Table, oid int64) ([]string, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT ic.relname, i.indisprimary, i.indisunique,
		i.indpred IS NOT NULL, i.indexprs IS NOT NULL, i.indisvalid, am.amname, pg_get_indexdef(i.indexrelid),
		COALESCE((to_jsonb(i) ->> 'indnullsnotdistinct')::bool, false),
		COALESCE((SELECT array_to_string(array_agg(quote_ident(a.attname) ORDER BY k.ord), ',')
		  FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
		  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
		  WHERE k.ord <= i.indnkeyatts), '')
		FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
		WHERE i.indrelid = $1 ORDER BY ic.relname`, oid)
	if err != nil {
		return nil, fmt.Errorf("read keys of %s in %s: %w", t.Name, d, err)
	}
	defer rows.Close()
	idx := map[string][]string{}
	var order, defs []string
	var all []Index
	for rows.Next() {
		var name, method, def, cols string
		var primary, unique, partial, expr, valid, nullsEqual bool
		if err := rows.Scan(&name, &primary, &unique, &partial, &expr, &valid, &method, &def, &nullsEqual, &cols); err != nil {
			return nil, fmt.Errorf("read keys of %s in %s: %w", t.Name, d, err)
		}
		if primary {
			name = "PRIMARY"
		} else {
			defs = append(defs, pgIndexDef(def, t.Name))
		}
		plain := !partial && !expr && valid
		if unique && plain && cols != "" {
			idx[name] = pgIdentList(cols)
			order = append(order, name)
		}
		ix := Index{Name: name, Unique: unique, Columns: pgIdentList(cols)}
		switch {
		case partial:
			ix.Kind = "a partial index"
		case expr:
			ix.Kind = "an index on an expression"
		case method != "btree":
			ix.Kind = "a " + method + " index"
		case !valid:
			ix.Kind = "an index left invalid by a failed build"
		case nullsEqual:
			ix.Kind = "a unique index that counts NULLs as equal (NULLS NOT DISTINCT)"
		}
		all = append(all, ix)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read keys of %s in %s: %w", t.Name, d, err)
	}
	if err := chooseKey(t, "PRIMARY", idx, order); err != nil {
		return nil, err
	}
	for _, ix := range all {
		t.addIndex(ix)
	}
	return defs, nil
}

// pgIndexDef makes pg_get_indexdef's statement name the table without its
// schema (the target's search_path decides where it is).
func pgIndexDef(def, table string) string {
	on := " ON "
	i := strings.Index(def, on)
	j := strings.Index(def, " USING ")
	if i < 0 || j < i {
		return def
	}
	if strings.HasPrefix(def[i:], " ON ONLY ") {
		on = " ON ONLY "
	}
	return def[:i] + on + quotePG(table) + def[j:]
}

// pgIdentList splits quote_ident'ed names joined by commas.
func pgIdentList(s string) []string {
	var out []string
	for len(s) > 0 {
		var name string
		if s[0] == '"' {
			i := 1
			for ; i < len(s); i++ {
				if s[i] == '"' {
					if i+1 < len(s) && s[i+1] == '"' {
						i++
						continue
					}
					break
				}
			}
			name = strings.ReplaceAll(s[1:min(i, len(s))], `""`, `"`)
			s = s[min(i+1, len(s)):]
		} else {
			name, s, _ = strings.Cut(s, ",")
			out = append(out, name)
			continue
		}
		out = append(out, name)
		s = strings.TrimPrefix(s, ",")
	}
	return out
}

// pgCreateTable is t's definition for another PostgreSQL database: its
// columns with their types, generated columns with their expressions, and
// the key as primary key. Identity and serial columns become plain columns
// holding the copied values (no sequence follows them); constant and
// current-time defaults are carried as written, other defaults, checks and
// partitioning are not.
func pgCreateTable(t *Table, gen map[string]string) string {
	var cols []string
	for _, c := range t.Columns {
		def := quotePG(c.Name) + " " + c.Type
		if expr, ok := gen[c.Name]; ok {
			def += " GENERATED ALWAYS AS (" + expr + ") STORED"
		} else if k := c.Default.Kind; k == DefaultNumber || k == DefaultText || k == DefaultNow {
			def += " DEFAULT " + c.Default.Raw
		}
		if !c.Nullable {
			def += " NOT NULL"
		}
		cols = append(cols, def)
	}
	if len(t.Key) > 0 {
		keys := make([]string, len(t.Key))
		for i, k := range t.Key {
			keys[i] = quotePG(t.Columns[k].Name)
		}
		cols = append(cols, "PRIMARY KEY ("+strings.Join(keys, ", ")+")")
	}
	return "CREATE TABLE " + quotePG(t.Name) + " (\n  " + strings.Join(cols, ",\n  ") + "\n)"
}

// storageIDs are tables' relfilenodes, which TRUNCATE and every rewrite
// renew, by name; a partitioned table has none of its own and goes
// unwatched.
func (postgresDialect) storageIDs(ctx context.Context, d *DB, tables []string) (map[string]string, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT c.relname, c.relfilenode::int8 FROM pg_class c
		WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
		AND c.relname = ANY($1) AND c.relkind = 'r' AND c.relfilenode <> 0`, tables)
	return storageRows(rows, err, d)
}

func (postgresDialect) tableComment(ctx context.Context, d *DB, name string) (string, error) {
	var c string
	err := d.db.QueryRowContext(ctx, `SELECT COALESCE(obj_description(c.oid, 'pg_class'), '') FROM pg_class c
		WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND c.relname = $1`, name).Scan(&c)
	if isNoRows(err) {
		return "", nil
	}
	return c, err
}

// createChangeLog: runway owns the table it creates, so it may comment it.
func (postgresDialect) createChangeLog(name, comment string) []string {
	return []string{"CREATE TABLE IF NOT EXISTS " + name + postgresSQL.changeLog, "COMMENT ON TABLE " + name + " IS " + sqlString(comment)}
}
