package console

import (
	"fmt"

	"github.com/charmbracelet/x/ansi"

	"runway/runbook"
	"runway/ui/inert"
)

// Column widths follow the content: while the titles fit, every column shows
// its word; when they do not, the status word goes first (the icon still
// says it), then the kind shrinks to a short form, so titles get the room.

// shortKinds are the kinds in at most four cells, for a narrow items pane.
var shortKinds = map[string]string{
	"manual": "sign", "command": "cmd", "compare": "cmp", "verify": "vrfy", "catchup": "ctch",
	"notify": "ntfy",
}

// shortKind is a kind in at most four cells.
func shortKind(kind string) string {
	if s, ok := shortKinds[kind]; ok {
		return s
	}
	return kind
}

// itemFit is how an items pane lays out its columns at one width.
type itemFit struct {
	level        int // 0 words, 1 no status word, 2 short kinds, 3 no kind
	kindW, wordW int
}

// kind is an item's kind as this fit shows it.
func (f itemFit) kind(it runbook.Item) string {
	switch f.level {
	case 0, 1:
		return it.Kind()
	case 2:
		return shortKind(it.Kind())
	}
	return ""
}

// itemFitFor picks the first fit whose title column holds the phase's
// longest title in w cells (durW is the duration column's width); a
// title too long for every fit is cut.
func (m Model) itemFitFor(ph runbook.Phase, w, durW int) itemFit {
	titleW, kindW, shortW, wordW := 0, 0, 0, 0
	ps := m.phaseState(m.phase)
	for i, it := range ph.Items {
		titleW = max(titleW, ansi.StringWidth(inert.OneLine(itemTitle(it))))
		kind := it.Kind()
		kindW, shortW = max(kindW, len(kind)), max(shortW, len(shortKind(kind)))
		word := "pending"
		if i < len(ps.Items) {
			_, word, _ = m.itemLook(ps.Items[i])
		}
		wordW = max(wordW, len(word))
	}
	fits := []itemFit{{0, kindW, wordW}, {1, kindW, 0}, {2, shortW, 0}, {3, 0, 0}}
	room := func(f itemFit) int {
		cells := 3 // icon, title, the critical mark
		if durW > 0 {
			cells++
		}
		fixed := 1 + 1 + 1 + durW // marker, icon, critical mark
		for _, c := range []int{f.kindW, f.wordW} {
			if c > 0 {
				cells++
				fixed += c
			}
		}
		return w - fixed - (cells - 1)
	}
	for _, f := range fits {
		if room(f) >= titleW {
			return f
		}
	}
	// Titles too long for any fit are cut anyway: keep the short kinds
	// while the titles still get a fair share.
	if room(fits[2]) >= 24 {
		return fits[2]
	}
	return fits[3]
}

// itemTitle is an item's title, or its id.
func itemTitle(it runbook.Item) string {
	if it.Title == "" {
		return it.ID
	}
	return it.Title
}

// phaseTitle is a phase's title, or its id.
func phaseTitle(ph runbook.Phase) string {
	if ph.Title == "" {
		return ph.ID
	}
	return ph.Title
}

// phaseFit is how the phases pane lays out its columns.
type phaseFit struct {
	level               int // 0 words, 1 compact outcomes, 2 outcomes only
	words, risks, progs []string
	wordW, riskW, progW int
	titleW              int // the longest title
}

// need is the width the pane needs to show every title whole: the marker,
// then the cells one space apart.
func (f phaseFit) need() int {
	widths := []int{1, f.titleW, f.riskW, f.progW} // icon, title, risk, progress
	if f.wordW > 0 {
		widths = append(widths, f.wordW)
	}
	n := 1 + len(widths) - 1
	for _, w := range widths {
		n += w
	}
	return n
}

// phaseFitAt builds the phases pane's columns at a level; narrow shortens
// the medium risk level.
func (m Model) phaseFitAt(level int, narrow bool) phaseFit {
	n := len(m.rb.Phases)
	f := phaseFit{level: level, words: make([]string, n), risks: make([]string, n), progs: make([]string, n)}
	for i, ph := range m.rb.Phases {
		ps := m.phaseState(i)
		_, word, _ := m.phaseLook(ps)
		outcome := ps.Outcome()
		switch {
		case level == 0:
		case ps.Status == "passed" && !outcome.Clean():
			word = compactOutcome(outcome, level == 1)
		case level == 2:
			word = ""
		}
		f.words[i] = word
		settled := 0
		for _, is := range ps.Items {
			if is.Status.Settled() {
				settled++
			}
		}
		f.progs[i] = fmt.Sprintf("%d/%d", settled, len(ph.Items))
		f.risks[i] = string(ph.Risk)
		if ph.Risk == runbook.Medium && narrow {
			f.risks[i] = "med"
		}
		f.titleW = max(f.titleW, ansi.StringWidth(inert.OneLine(phaseTitle(ph))))
		f.wordW = max(f.wordW, ansi.StringWidth(word))
		f.riskW, f.progW = max(f.riskW, len(f.risks[i])), max(f.progW, len(f.progs[i]))
	}
	return f
}

// phaseFitFor picks the phases pane's width and columns for a screen w
// wide: the narrowest fit that shows every title whole, in at most the
// pane's share of the screen.
func (m Model) phaseFitFor(w int) (phaseFit, int) {
	limit := min(max(w*2/5, 30), 44)
	narrow := w < 100
	var f phaseFit
	for level := 0; level <= 2; level++ {
		f = m.phaseFitAt(level, narrow)
		if need := f.need(); need <= limit {
			return f, max(need, 24)
		}
	}
	return f, limit
}
