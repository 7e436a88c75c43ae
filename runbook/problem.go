package runbook

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with a runbook, at a place in its file.
type Problem struct {
	File string
	Pos  Position
	Msg  string
}

// String formats the problem as "file:line:col: message".
func (p Problem) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Pos.Line, p.Pos.Column, p.Msg)
}

// Problems is every problem found in a runbook. As an error its text is one
// problem per line, sorted by position.
type Problems []Problem

// Error lists the problems one per line, sorted by position.
func (ps Problems) Error() string {
	sorted := append(Problems(nil), ps...)
	sorted.sort()
	lines := make([]string, len(sorted))
	for i, p := range sorted {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// sort orders problems by file position, keeping the order of problems found
// at the same place.
func (ps Problems) sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i].Pos, ps[j].Pos
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

// dedup drops repeated problems (an anchored node used twice reports its
// problems twice, at the same place).
func (ps Problems) dedup() Problems {
	seen := make(map[Problem]bool, len(ps))
	out := ps[:0]
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}
