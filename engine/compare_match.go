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
	oldIdx, err := columnIndex(old.Cols, "old")
	if err != nil {
		return res, err
	}
	newIdx, err := columnIndex(cur.Cols, "new")
	if err != nil {
		return res, err
	}
	// Columns compared: every old column, in the old query's order.
	type colPair struct {
		name     string
		old, new int
		key      bool
	}
	keySet := map[string]bool{}
	for _, k := range key {
		keySet[strings.ToLower(k)] = true
	}
	var cols []colPair
	for i, c := range old.Cols {
		j, ok := newIdx[strings.ToLower(c)]
		if !ok {
			return res, fmt.Errorf("compare: column %s of the old query is not in the new query's result", c)
		}
		cols = append(cols, colPair{name: c, old: i, new: j, key: keySet[strings.ToLower(c)]})
	}
	var oldKey, newKey []int
	for _, k := range key {
		i, ok := oldIdx[strings.ToLower(k)]
		if !ok {
			return res, fmt.Errorf("compare: key column %s is not in the old query's result", k)
		}
		oldKey = append(oldKey, i)
		newKey = append(newKey, newIdx[strings.ToLower(k)])
	}

	keyOf := func(row []any, idx []int) (string, []string) {
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
	newRows := map[string][]int{}
	for r, row := range cur.Rows {
		k, _ := keyOf(row, newKey)
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
		k, shown := keyOf(row, oldKey)
		cands := newRows[k]
		if len(cands) == 0 {
			res.Missing++
			add(RowDiff{Key: shown, Type: DiffMissing})
			continue
		}
		r := cands[0]
		newRows[k] = cands[1:]
		used[r] = true
		var differ []string
		for _, c := range cols {
			if c.key {
				continue
			}
			if loose(row[c.old]) != loose(cur.Rows[r][c.new]) {
				differ = append(differ, c.name)
			}
		}
		if len(differ) > 0 {
			res.Different++
			add(RowDiff{Key: shown, Type: DiffDifferent, Columns: differ})
			continue
		}
		res.Matched++
	}
	for r, row := range cur.Rows {
		if !used[r] {
			_, shown := keyOf(row, newKey)
			res.Extra++
			add(RowDiff{Key: shown, Type: DiffExtra})
		}
	}
	return res, nil
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
