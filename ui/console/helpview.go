package console

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"runway/ui/keys"
)

// notNow marks a key that does nothing at the moment; the word carries it
// without colour, the dimming only repeats it.
const notNow = "not now"

// fullHelp is the `?` screen in rows×width: every key with its help text,
// grouped by concern. Keys that do nothing now are dimmed and marked; in one
// column each also says why, in several columns pressing it does.
func (m Model) fullHelp(rows int) []string {
	s := m.sty
	groups := m.keys.Groups()
	keyW := 0
	for _, g := range groups {
		for _, b := range g.Bindings {
			keyW = max(keyW, ansi.StringWidth(b.Help().Key))
		}
	}
	legend := []string{s.Section.Render(cut("KEYS", m.width)) + s.Muted.Render(cut(
		" · marked “"+notNow+"”: does nothing at the moment, pressing it says why", m.width-4)), ""}
	heights := make([]int, len(groups))
	for i, g := range groups {
		heights[i] = 1 + len(g.Bindings) // the title, then one row per key
	}
	for n := 1; n <= len(groups); n++ {
		// Short of rows, the blank rows between groups go before a column
		// is added (the group titles still part them), then the legend's
		// blank line, then the legend: the marks still say it.
		for gap := 1; gap >= 0; gap-- {
			cols := splitColumns(heights, n, gap)
			tallest := 0
			for _, c := range cols {
				tallest = max(tallest, columnHeight(heights[c[0]:c[1]], gap))
			}
			head := legend[:max(min(rows-tallest, len(legend)), 0)]
			if tallest > rows && (n < len(groups) || gap > 0) {
				continue
			}
			colW := (m.width - 2*(n-1)) / n
			lines := make([][]string, n)
			for i, c := range cols {
				lines[i] = m.helpColumn(groups[c[0]:c[1]], keyW, colW, n == 1, gap)
			}
			return append(append([]string(nil), head...), besides(lines, colW)...)
		}
	}
	return nil
}

// helpColumn draws groups one under the other, gap blank rows between them.
func (m Model) helpColumn(groups []keys.Group, keyW, w int, why bool, gap int) []string {
	s := m.sty
	var out []string
	for i, g := range groups {
		if i > 0 && gap > 0 {
			out = append(out, "")
		}
		out = append(out, s.Section.Render(cut(g.Title, w)))
		for _, b := range g.Bindings {
			out = append(out, m.helpEntry(b, keyW, w, why))
		}
	}
	return out
}

// helpEntry is one key: its name and what it does, or the same dimmed and
// marked when it does nothing now, with the reason when why is set.
func (m Model) helpEntry(b key.Binding, keyW, w int, why bool) string {
	s := m.sty
	name := "  " + fit(b.Help().Key, keyW) + "  "
	if b.Enabled() {
		return cut(s.Key.Render(name)+s.Text.Render(b.Help().Desc), w)
	}
	mark := " · " + notNow
	if reason := m.why[b.Keys()[0]]; why && reason != "" {
		mark += ": " + reason
	}
	return s.Muted.Render(cut(name+b.Help().Desc+mark, w))
}

// splitColumns cuts items of the given heights, in order, into n columns as
// even as they can be; each column is a [from, to) range.
func splitColumns(heights []int, n, gap int) [][2]int {
	n = min(n, len(heights))
	var best [][2]int
	bestH := -1
	var try func(from int, cols [][2]int)
	try = func(from int, cols [][2]int) {
		if len(cols) == n-1 {
			cols = append(cols, [2]int{from, len(heights)})
			tallest := 0
			for _, c := range cols {
				tallest = max(tallest, columnHeight(heights[c[0]:c[1]], gap))
			}
			if bestH < 0 || tallest < bestH {
				best, bestH = append([][2]int(nil), cols...), tallest
			}
			return
		}
		for to := from + 1; to <= len(heights)-(n-1-len(cols)); to++ {
			try(to, append(cols, [2]int{from, to}))
		}
	}
	try(0, nil)
	return best
}

// columnHeight is the rows groups of these heights take, gap blank rows between them.
func columnHeight(heights []int, gap int) int {
	h := max(len(heights)-1, 0) * gap
	for _, x := range heights {
		h += x
	}
	return h
}

// besides sets columns of width w side by side, two spaces apart.
func besides(cols [][]string, w int) []string {
	rows := 0
	for _, c := range cols {
		rows = max(rows, len(c))
	}
	out := make([]string, rows)
	for r := range rows {
		var b strings.Builder
		for i, c := range cols {
			cell := ""
			if r < len(c) {
				cell = c[r]
			}
			if i == len(cols)-1 {
				b.WriteString(cell)
				break
			}
			b.WriteString(fit(cell, w) + "  ")
		}
		out[r] = strings.TrimRight(b.String(), " ")
	}
	return out
}
