package engine

import (
	"fmt"
	"strings"
)

// resultSet is a query's answer: column names and rows of scanned values.
type resultSet struct {
	Cols []string
	Rows [][]any
}

// matchResults matches the old and the new answer by the key columns. Rows
// are paired per key in the order they came; a key with more rows on the old
// side leaves the surplus as missing, on the new side as extra. Columns are
// matched by name (case-insensitive); every column of the old answer must be
// in the new one, columns only in the new answer are ignored.
func matchResults(old, cur resultSet, key []string, limit int) (CompareResult, error) {
	var res CompareResult
	if len(key) == 0 {
		return res, fmt.Errorf("compare: no key columns")
	}
	cols, oldKey, newKey, err := pairColumns(old.Cols, cur.Cols, key)
	if err != nil {
		return res, err
	}
	newRows := map[string][]int{}
	for r, row := range cur.Rows {
		k, _ := matchKey(row, newKey)
		newRows[k] = append(newRows[k], r)
	}
	used := make([]bool, len(cur.Rows))
	add := func(d RowDiff) {
		if len(res.Diffs) < limit || limit <= 0 {
			res.Diffs = append(res.Diffs, d)
		}
	}
	res.Rows = int64(len(old.Rows))
	res.NewRows = int64(len(cur.Rows))
	for _, row := range old.Rows {
		k, shown := matchKey(row, oldKey)
		cands := newRows[k]
		if len(cands) == 0 {
			res.Missing++
			add(RowDiff{Key: shown, Type: DiffMissing})
			continue
		}
		r := cands[0]
		newRows[k] = cands[1:]
		used[r] = true
		if differ := differingColumns(cols, row, cur.Rows[r]); len(differ) > 0 {
			res.Different++
			add(RowDiff{Key: shown, Type: DiffDifferent, Columns: differ})
			continue
		}
		res.Matched++
	}
	for r, row := range cur.Rows {
		if !used[r] {
			_, shown := matchKey(row, newKey)
			res.Extra++
			add(RowDiff{Key: shown, Type: DiffExtra})
		}
	}
	return res, nil
}

// colPair is a column compared: its name and places in the old and new
// results.
type colPair struct {
	name     string
	old, new int
	key      bool
}

// pairColumns pairs every old column, in the old query's order, with the
// new query's, and finds the key columns on both sides.
func pairColumns(oldCols, newCols, key []string) (cols []colPair, oldKey, newKey []int, err error) {
	oldIdx, err := columnIndex(oldCols, "old")
	if err != nil {
		return nil, nil, nil, err
	}
	newIdx, err := columnIndex(newCols, "new")
	if err != nil {
		return nil, nil, nil, err
	}
	keySet := map[string]bool{}
	for _, k := range key {
		keySet[strings.ToLower(k)] = true
	}
	for i, c := range oldCols {
		j, ok := newIdx[strings.ToLower(c)]
		if !ok {
			return nil, nil, nil, fmt.Errorf("compare: column %s of the old query is not in the new query's result", c)
		}
		cols = append(cols, colPair{name: c, old: i, new: j, key: keySet[strings.ToLower(c)]})
	}
	for _, k := range key {
		i, ok := oldIdx[strings.ToLower(k)]
		if !ok {
			return nil, nil, nil, fmt.Errorf("compare: key column %s is not in the old query's result", k)
		}
		oldKey = append(oldKey, i)
		newKey = append(newKey, newIdx[strings.ToLower(k)])
	}
	return cols, oldKey, newKey, nil
}

// matchKey is a row's key as a map key, and as shown in a difference.
func matchKey(row []any, idx []int) (string, []string) {
	var b strings.Builder
	shown := make([]string, len(idx))
	for n, i := range idx {
		v := loose(row[i])
		if v.null {
			b.WriteString("N")
		} else {
			fmt.Fprintf(&b, "%d:%s", len(v.s), v.s)
		}
		shown[n] = v.String()
	}
	return b.String(), shown
}

// differingColumns names the non-key columns whose values differ.
func differingColumns(cols []colPair, old, cur []any) []string {
	var differ []string
	for _, c := range cols {
		if c.key {
			continue
		}
		if loose(old[c.old]) != loose(cur[c.new]) {
			differ = append(differ, c.name)
		}
	}
	return differ
}

func columnIndex(cols []string, side string) (map[string]int, error) {
	idx := make(map[string]int, len(cols))
	for i, c := range cols {
		lc := strings.ToLower(c)
		if _, dup := idx[lc]; dup {
			return nil, fmt.Errorf("compare: the %s query returns column %s twice; give it an alias", side, c)
		}
		idx[lc] = i
	}
	return idx, nil
}
