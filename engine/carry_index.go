package engine

import (
	"crypto/sha256"
	"encoding/hex"
)

// Index is a secondary index of a table, other than the one used as key.
type Index struct {
	Name    string
	Columns []string // in index order
	Unique  bool
	Prefix  bool // some column is indexed by a prefix of its value (MySQL)
	// Kind names what makes the index one other engines cannot build
	// ("a FULLTEXT index", "a partial index", …); "" for a plain index.
	Kind string
}

// addIndex appends ix to t's indexes unless it is t's key.
func (t *Table) addIndex(ix Index) {
	if ix.Name != t.KeyName {
		t.Indexes = append(t.Indexes, ix)
	}
}

// indexSkip says why ix of t cannot be created on dst's engine, or "" when
// it can.
func indexSkip(dst *DB, t *Table, ix Index) string {
	switch {
	case ix.Kind != "":
		return ix.Kind
	case ix.Prefix:
		return "it indexes a prefix of a column"
	}
	cols := make([]Column, len(ix.Columns))
	seen := map[string]bool{}
	for i, name := range ix.Columns {
		c := t.Column(name)
		switch {
		case c == nil || c.Generated:
			return "on a generated column, which is not created"
		case seen[c.Name]:
			return "it names " + c.Name + " twice"
		}
		seen[c.Name] = true
		cols[i] = *c
	}
	return dst.dialect.indexMisfit(cols)
}

// indexStatements are the statements that add t's carried indexes to a
// table created on dst from another engine, run once the rows are in.
func indexStatements(src, dst *DB, t *Table) []string {
	var carried []Index
	for _, ix := range t.Indexes {
		if indexSkip(dst, t, ix) == "" {
			ix.Name = targetIndexName(src, dst, t, ix)
			carried = append(carried, ix)
		}
	}
	if len(carried) == 0 {
		return nil
	}
	return dst.dialect.addIndexes(dst, dst.Quote(t.Name), carried)
}

// targetIndexName names ix on dst. An engine that names indexes within
// the schema gets an index named within its table (MySQL's) as
// <table>_<index>_<hash of both>: two tables' "idx_created" stay apart, and
// tables a and a_b with indexes b_c and c, or PostgreSQL's own <table>_pkey,
// never meet. A name past the target's limit keeps only the hash.
func targetIndexName(src, dst *DB, t *Table, ix Index) string {
	n := ix.Name
	limit, perTable := dst.dialect.indexNaming()
	if _, srcPerTable := src.dialect.indexNaming(); srcPerTable && !perTable {
		n = t.Name + "_" + ix.Name + "_" + indexHash(t.Name, ix.Name)[:8]
	}
	if limit == 0 || len(n) <= limit {
		return n
	}
	return "runway_ix_" + indexHash(t.Name, ix.Name)
}

func indexHash(table, index string) string {
	h := sha256.Sum256([]byte(table + "\x00" + index))
	return hex.EncodeToString(h[:12])
}

// maxValueBytes is the most a value of c takes in an index entry: four
// bytes a character for text.
func maxValueBytes(c Column) int {
	switch c.Family {
	case FamText:
		return int(c.Length) * 4
	case FamBytes:
		return int(c.Length)
	}
	return 16
}

// uniqueWord is "UNIQUE " for a unique index.
func uniqueWord(ix Index) string {
	if ix.Unique {
		return "UNIQUE "
	}
	return ""
}
