package engine

// Key literals on PostgreSQL. KeyIn lists the keys of several columns as
// (a, b) IN (VALUES ('2024-01-01', 1), …), where a bare quoted value is
// typed text: "date = text", "uuid = text", "boolean = integer" do not
// exist. Such a literal is cast to its column's type; numbers of number
// columns and strings of text columns, the common keys, stay bare.

// appendKeyLiteral writes v, a value of key column c, typed as c.
func (d postgresDialect) appendKeyLiteral(dst []byte, c *Column, v Value) []byte {
	if c.CastType == "" || v.Kind == KindNull || v.Kind == KindBytes || pgBareKeyFits(c, v) {
		return d.appendLiteral(dst, v)
	}
	dst = appendPGString(dst, v.B)
	dst = append(dst, "::"...)
	return append(dst, c.CastType...)
}

// pgBareKeyFits tells that appendLiteral's literal of v already has c's
// type, or one that compares with it through an index.
func pgBareKeyFits(c *Column, v Value) bool {
	switch c.CastType {
	case "pg_catalog.text", "pg_catalog.varchar":
		return v.Kind == KindText
	}
	return v.Kind.numeric() && isNumber(v.B) && !pgQuotesNumbers(c)
}

// pgQuotesNumbers tells that c takes a number as a quoted literal: it is
// not a number column, or it is a boolean (which takes '1', not 1).
func pgQuotesNumbers(c *Column) bool {
	return classOf(c.Family) != classNumber || c.Family == FamBool
}
