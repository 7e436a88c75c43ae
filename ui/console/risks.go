package console

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"runway/runbook"
	"runway/ui/inert"
	"runway/ui/keys"
)

// risksDialog is the risk register with each risk's computed level; enter
// reads the selected risk in full.
type risksDialog struct{ sel int }

func (d risksDialog) update(m Model, msg tea.KeyMsg) (Model, tea.Cmd) {
	k := d.keys(m, m.dkeys)
	switch {
	case key.Matches(msg, k.Cancel), msg.String() == "i", msg.String() == "q":
		m.dialog = nil
	case moves(msg, k, &d.sel, len(m.rb.Risks)):
		m.dialog = d
	case key.Matches(msg, k.Submit) && d.sel < len(m.rb.Risks):
		m.dialog = m.riskReader(m.rb.Risks[d.sel], d)
	}
	return m, nil
}

func (d risksDialog) view(m Model, w, h int) []string {
	s := m.sty
	if len(m.rb.Risks) == 0 {
		return m.frame("Risk register", []string{s.Muted.Render("This runbook lists no risks.")}, w, h)
	}
	inner := w - 4
	rows := []string{s.Muted.Render(fit("  level    score  P×I    id        risk", inner))}
	keep := 0
	for i, r := range m.rb.Risks {
		if i == d.sel {
			keep = len(rows)
		}
		level := r.Level()
		sty := s.OK
		icon := "▁"
		switch level {
		case runbook.High:
			sty, icon = s.Fail, "▇"
		case runbook.Medium:
			sty, icon = s.Warn, "▄"
		}
		rows = append(rows, marked(i == d.sel, sty.Render(fmt.Sprintf("%s %-6s", icon, level))+
			fmt.Sprintf(" %5d  %-6s %-9s %s", r.Score(), initial(r.Probability)+"×"+initial(r.Impact), cut(r.ID, 9), cut(inert.OneLine(r.Name), inner-34))))
		if r.Mitigation != "" {
			rows = append(rows, s.Muted.Render("           mitigation: ")+cut(inert.OneLine(r.Mitigation), inner-23))
		}
	}
	return m.scrolled(fmt.Sprintf("Risk register · %d risks · score = probability × impact", len(m.rb.Risks)), rows, w, h, 0, keep)
}

func (d risksDialog) keys(_ Model, k keys.DialogKeys) keys.DialogKeys {
	only(&k, &k.Up, &k.Down, &k.Submit, &k.Cancel)
	k.Submit.SetHelp("enter", "read in full")
	k.Cancel.SetHelp("esc", "close")
	return k
}

// initial is a level's first letter: l, m or h.
func initial(l runbook.Level) string {
	if l == "" {
		return "?"
	}
	return string(l)[:1]
}
