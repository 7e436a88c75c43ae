package engine

import "strings"

// TypeTranslation is one copied column whose target type is not spelled as
// its source type: what a reviewer of the created tables checks.
type TypeTranslation struct {
	Column   string
	From, To string
}

// typeTranslations lists the copied columns of tp whose target type differs
// from the source type: the target's own declaration when the table exists,
// else the type runway would create it with.
func typeTranslations(src, dst *DB, tp *TablePlan) []TypeTranslation {
	if tp.st == nil {
		return nil
	}
	var out []TypeTranslation
	for i, c := range tp.st.Columns {
		if c.Generated {
			continue
		}
		to := ""
		switch {
		case tp.dt != nil:
			if tc := tp.dt.Column(c.Name); tc != nil {
				to = tc.Type
			}
		case tp.Create != nil && !sameDialect(src, dst): // the same engine keeps the source's definition
			inKey := tp.st.isKey(i)
			to = createdType(dst, c, inKey, inKey && len(tp.st.Key) == 1 && (c.Family == FamInt || c.Family == FamUint))
		}
		if to != "" && !strings.EqualFold(strings.TrimSpace(to), strings.TrimSpace(c.Type)) {
			out = append(out, TypeTranslation{Column: c.Name, From: c.Type, To: to})
		}
	}
	return out
}

// createdType is the type a created target column gets across engines (see
// createStatements); the same engine keeps the source's own definition.
func createdType(dst *DB, c Column, inKey, soleIntKey bool) string {
	switch dst.dialect.(type) {
	case sqliteDialect:
		return SQLiteType(c, soleIntKey)
	case mysqlDialect:
		return MySQLType(c, inKey)
	case postgresDialect, *postgresDialect:
		return PostgresType(c)
	}
	return ""
}
