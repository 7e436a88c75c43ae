package engine

import (
	"bytes"
	"encoding/binary"
	"sort"
	"strconv"
	"strings"
)

// rowShape says how to read the rows of one table pair: which batch
// columns hold the key, and how to canonicalise each column on each side.
// Column i of a source batch and column i of a target batch are the same
// column (matched by name).
type rowShape struct {
	table    string
	names    []string  // column names (the source's spelling)
	keyPos   []int     // batch positions of the key columns, in key order
	srcCols  []*Column // column i on the source
	dstCols  []*Column // column i on the target
	scale    []int     // decimal scale for REALs in DECIMAL columns, -1 = shortest
	isKeyCol []bool
}

// pairTables matches target table dt to source table st for reading and
// comparing: dt's key is set to the source key's columns (whatever keys dt
// has itself), and the shape of the source's copied columns is returned
// with their indexes in dt, in the same order. dt must hold every copied
// source column (see matchColumns).
func pairTables(st, dt *Table) (*rowShape, []int) {
	dt.Key = nil
	for _, k := range st.KeyColumns() {
		for j := range dt.Columns {
			if strings.EqualFold(dt.Columns[j].Name, k) {
				dt.Key = append(dt.Key, j)
			}
		}
	}
	sh := &rowShape{table: st.Name}
	var dcols []int
	for _, c := range st.Copied() {
		sc := &st.Columns[c]
		j := -1
		for k := range dt.Columns {
			if strings.EqualFold(dt.Columns[k].Name, sc.Name) {
				j = k
			}
		}
		dc := &dt.Columns[j]
		dcols = append(dcols, j)
		sh.names = append(sh.names, sc.Name)
		sh.srcCols = append(sh.srcCols, sc)
		sh.dstCols = append(sh.dstCols, dc)
		sh.scale = append(sh.scale, decimalScale(sc, dc))
		sh.isKeyCol = append(sh.isKeyCol, st.isKey(c))
	}
	for _, k := range st.Key { // in key order, not column order
		for i, c := range st.Copied() {
			if c == k {
				sh.keyPos = append(sh.keyPos, i)
			}
		}
	}
	return sh, dcols
}

// canonKey is the canonical key of row r of b: length-prefixed canonical
// values of the key columns.
func (s *rowShape) canonKey(dst []byte, b *Batch, r int, cols []*Column) []byte {
	for _, p := range s.keyPos {
		dst = appendPrefixed(dst, b.Value(r, p), cols[p], s.scale[p])
	}
	return dst
}

// canonRow is the canonical form of every column of row r of b.
func (s *rowShape) canonRow(dst []byte, b *Batch, r int, cols []*Column) []byte {
	for c := range cols {
		dst = appendPrefixed(dst, b.Value(r, c), cols[c], s.scale[c])
	}
	return dst
}

func appendPrefixed(dst []byte, v Value, c *Column, scale int) []byte {
	start := len(dst)
	dst = append(dst, 0, 0, 0, 0)
	dst = appendCanon(dst, v, c, scale)
	binary.BigEndian.PutUint32(dst[start:], uint32(len(dst)-start-4))
	return dst
}

// differingColumns names the columns whose canonical values differ between
// row r of a (source) and row q of b (target).
func (s *rowShape) differingColumns(a *Batch, r int, b *Batch, q int) []string {
	var out []string
	var x, y []byte
	for c := range s.names {
		if s.isKeyCol[c] {
			continue
		}
		x = appendCanon(x[:0], a.Value(r, c), s.srcCols[c], s.scale[c])
		y = appendCanon(y[:0], b.Value(q, c), s.dstCols[c], s.scale[c])
		if !bytes.Equal(x, y) {
			out = append(out, s.names[c])
		}
	}
	return out
}

// rowsCompared is the outcome of comparing two sets of rows.
type rowsCompared struct {
	srcRows, dstRows                          int64
	matched, missing, extra, different, dupes int64
	diffs                                     []RowDiff
}

// compareRows compares the source rows in a with the target rows in b, both
// holding every column of the shape, matched by canonical key. For each key,
// target rows equal to a source row pair up first; a source row left over
// pairs with a target row left over as different; then source rows left are
// missing, and target rows left are extra (duplicate when the source has the
// key).
func (s *rowShape) compareRows(a, b *Batch) rowsCompared {
	out := rowsCompared{srcRows: int64(a.Len()), dstRows: int64(b.Len())}
	var rowA, rowB []byte
	// Rows come in key order on both sides: pair them while the keys match
	// one to one (no map, no allocation), then match the rest by key.
	i, j := s.lockstep(a, b, &out)
	var kbuf []byte
	keyOf := func(bt *Batch, r int, cols []*Column) string {
		kbuf = s.canonKey(kbuf[:0], bt, r, cols)
		return string(kbuf)
	}
	srcKeys := make([]string, a.Len())
	srcBy := make(map[string][]int, a.Len()-i)
	for r := i; r < a.Len(); r++ {
		k := keyOf(a, r, s.srcCols)
		srcKeys[r] = k
		srcBy[k] = append(srcBy[k], r)
	}
	dstKeys := make([]string, b.Len())
	dstBy := make(map[string][]int, b.Len()-j)
	for r := j; r < b.Len(); r++ {
		k := keyOf(b, r, s.dstCols)
		dstKeys[r] = k
		dstBy[k] = append(dstBy[k], r)
	}
	done := map[string]bool{}
	for r := i; r < a.Len(); r++ {
		k := srcKeys[r]
		if done[k] {
			continue
		}
		done[k] = true
		S, T := srcBy[k], dstBy[k]
		if len(S) == 1 && len(T) == 1 { // the usual case, without allocations
			rowA = s.canonRow(rowA[:0], a, S[0], s.srcCols)
			rowB = s.canonRow(rowB[:0], b, T[0], s.dstCols)
			if bytes.Equal(rowA, rowB) {
				out.matched++
			} else {
				out.different++
				out.diffs = append(out.diffs, s.diff(a, S[0], k, DiffDifferent, s.differingColumns(a, S[0], b, T[0])))
			}
			continue
		}
		rowA, rowB = s.matchGroup(a, b, k, S, T, &out, rowA, rowB)
	}
	for r := j; r < b.Len(); r++ {
		k := dstKeys[r]
		if _, ok := srcBy[k]; ok {
			continue
		}
		out.extra++
		out.diffs = append(out.diffs, s.diff(b, r, k, DiffExtra, nil))
	}
	sortDiffs(out.diffs)
	return out
}

// matchGroup matches the source rows S and target rows T of one key k
// (several on a side): equal rows pair first, then leftovers pair as
// different, then the rest are missing or duplicate. rowA and rowB are
// scratch buffers, returned for reuse.
func (s *rowShape) matchGroup(a, b *Batch, k string, S, T []int, out *rowsCompared, rowA, rowB []byte) ([]byte, []byte) {
	usedT := make([]bool, len(T))
	var leftS []int
	for _, sr := range S {
		rowA = s.canonRow(rowA[:0], a, sr, s.srcCols)
		paired := false
		for j, tr := range T {
			if usedT[j] {
				continue
			}
			rowB = s.canonRow(rowB[:0], b, tr, s.dstCols)
			if bytes.Equal(rowA, rowB) {
				usedT[j], paired = true, true
				out.matched++
				break
			}
		}
		if !paired {
			leftS = append(leftS, sr)
		}
	}
	for _, sr := range leftS {
		j := -1
		for i := range T {
			if !usedT[i] {
				j = i
				break
			}
		}
		if j < 0 {
			out.missing++
			out.diffs = append(out.diffs, s.diff(a, sr, k, DiffMissing, nil))
			continue
		}
		usedT[j] = true
		out.different++
		out.diffs = append(out.diffs, s.diff(a, sr, k, DiffDifferent, s.differingColumns(a, sr, b, T[j])))
	}
	for j, tr := range T {
		if !usedT[j] {
			out.extra++
			out.dupes++
			out.diffs = append(out.diffs, s.diff(b, tr, k, DiffDuplicate, nil))
		}
	}
	return rowA, rowB
}

// lockstep compares rows a[i] and b[i] while their canonical keys are equal
// and not repeated on either side; it returns where it stopped.
func (s *rowShape) lockstep(a, b *Batch, out *rowsCompared) (int, int) {
	var ka, kb, next, rowA, rowB []byte
	i := 0
	for ; i < a.Len() && i < b.Len(); i++ {
		ka = s.canonKey(ka[:0], a, i, s.srcCols)
		kb = s.canonKey(kb[:0], b, i, s.dstCols)
		if !bytes.Equal(ka, kb) {
			break
		}
		if i+1 < a.Len() {
			if next = s.canonKey(next[:0], a, i+1, s.srcCols); bytes.Equal(next, ka) {
				break
			}
		}
		if i+1 < b.Len() {
			if next = s.canonKey(next[:0], b, i+1, s.dstCols); bytes.Equal(next, kb) {
				break
			}
		}
		rowA = s.canonRow(rowA[:0], a, i, s.srcCols)
		rowB = s.canonRow(rowB[:0], b, i, s.dstCols)
		if bytes.Equal(rowA, rowB) {
			out.matched++
			continue
		}
		out.different++
		out.diffs = append(out.diffs, s.diff(a, i, string(ka), DiffDifferent, s.differingColumns(a, i, b, i)))
	}
	return i, i
}

// diff builds a RowDiff for row r of b.
func (s *rowShape) diff(b *Batch, r int, canon string, typ DiffType, cols []string) RowDiff {
	d := RowDiff{Table: s.table, Type: typ, Columns: cols, canon: canon}
	for _, p := range s.keyPos {
		v := b.Value(r, p).Clone()
		d.key = append(d.key, v)
		d.Key = append(d.Key, v.Text())
	}
	return d
}

// sortDiffs orders differences by key (numbers by value, other values by
// bytes), then by type.
func sortDiffs(ds []RowDiff) {
	sort.SliceStable(ds, func(i, j int) bool {
		if c := compareKeys(ds[i].key, ds[j].key); c != 0 {
			return c < 0
		}
		return ds[i].Type < ds[j].Type
	})
}

func compareKeys(a, b []Value) int {
	for i := range min(len(a), len(b)) {
		if c := compareValues(a[i], b[i]); c != 0 {
			return c
		}
	}
	return len(a) - len(b)
}

func compareValues(a, b Value) int {
	if a.Kind == KindNull || b.Kind == KindNull {
		switch {
		case a.Kind == b.Kind:
			return 0
		case a.Kind == KindNull:
			return -1
		}
		return 1
	}
	if isPlainDecimal(a.B) && isPlainDecimal(b.B) {
		x, errX := strconv.ParseFloat(string(a.B), 64)
		y, errY := strconv.ParseFloat(string(b.B), 64)
		if errX == nil && errY == nil && x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return bytes.Compare(a.B, b.B)
}
