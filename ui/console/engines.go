package console

import (
	"fmt"
	"strings"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/charmbracelet/x/ansi"

	"runway/runbook/event"
	"runway/runbook/fold"
	"runway/runbook/text"
	"runway/ui/inert"
)

// tableView is one table's progress, from the live sample or the last
// recorded one.
type tableView struct {
	engine      string // the engine's kind, or the check's
	table       string
	done, total int64
	rate        float64
	eta         time.Duration
	note        string
}

// tables is the selected engine's progress: live while it runs, else the
// last figures in the log (which is also all a watcher or a replay has).
func (m Model) tables(sel selection) []tableView {
	var out []tableView
	if live := m.live[sel.item.ID]; len(live) > 0 {
		for _, p := range live {
			out = append(out, tableView{p.Engine, p.Table, p.Done, p.Total, p.RowsPerSec, p.ETA, p.Note})
		}
		return out
	}
	if e := sel.is.Engine; e != nil {
		for _, p := range e.Tables {
			out = append(out, tableView{sel.item.Kind(), p.Table, p.Done, p.Total, p.RowsPerSec, time.Duration(p.ETAms) * time.Millisecond, p.Note})
		}
	}
	return out
}

// engineLines are a data engine's controls, one bar per table with rows,
// rate and ETA, its warnings, and its verdict once finished.
func (m Model) engineLines(sel selection, w int) []string {
	s := m.sty
	var out []string
	e := sel.is.Engine
	var ctl []string
	if rate := engineRate(sel); rate > 0 {
		ctl = append(ctl, "rate limit "+humanize.Comma(int64(rate))+" rows/s")
	} else if sel.is.Status == fold.ItemRunning {
		ctl = append(ctl, "no rate limit")
	}
	if e != nil && e.Paused {
		ctl = append(ctl, s.Warn.Render("‖ paused"))
	}
	if len(ctl) > 0 && sel.item.IsEngine() {
		out = append(out, s.Muted.Render("Engine: ")+strings.Join(ctl, " · "))
	}
	tables := m.tables(sel)
	nameW, infoW := 4, 0
	infos := make([]string, len(tables))
	for i, t := range tables {
		nameW = max(nameW, ansi.StringWidth(t.name()))
		infos[i] = t.info(e != nil && e.Paused)
		infoW = max(infoW, ansi.StringWidth(infos[i]))
	}
	nameW = min(nameW, 20)
	// One line per table when the bar still gets 10 cells, else the figures
	// go on a line of their own: they are never cut.
	barW := w - 2 - nameW - 2 - 2 - infoW
	twoLines := barW < 10
	if twoLines {
		barW = w - 2 - nameW - 2
	}
	barW = min(barW, 40)
	for i, t := range tables {
		line := "  " + fit(t.name(), nameW) + "  " + m.progressBar(barW, t.fraction())
		if sel.item.Compare != nil { // a compare has no total to fill a bar
			line, infos[i], twoLines = "  "+fit(t.name(), nameW), m.compareFigures(sel, t, e != nil && e.Paused), false
		}
		if twoLines {
			out = append(out, line, strings.Repeat(" ", 2+nameW+2)+infos[i])
		} else {
			out = append(out, line+"  "+infos[i])
		}
		if t.note != "" {
			out = append(out, m.noteLines(t.note, nameW, w)...)
		}
		if i == 0 && sel.item.Catchup != nil {
			if line := m.trendLine(sel.item.ID, 2+nameW+2); line != "" {
				out = append(out, line)
			}
		}
	}
	if e != nil && e.Result != nil {
		out = append(out, m.resultLines(e.Result, w)...)
	}
	return out
}

// progressBar draws a bar w cells wide, still for the fraction given: the
// console's tick redraws it, so it needs no animation of its own. It never
// looks finished before it is.
func (m Model) progressBar(w int, fraction float64) string {
	if w <= 0 {
		return ""
	}
	fraction = min(max(fraction, 0), 1)
	if fraction < 1 {
		// The bar rounds to the nearest cell; keep the last one empty.
		fraction = min(fraction, (float64(w)-0.5)/float64(w)-1e-9)
	}
	bar := m.bar
	bar.Width = w
	return bar.ViewAs(fraction)
}

// name is the table's name, or the engine's kind for a long check, inert.
func (t tableView) name() string {
	if t.table == "" {
		return inert.OneLine(t.engine)
	}
	return inert.OneLine(t.table)
}

// fraction is how much is done, 0 when the total is unknown.
func (t tableView) fraction() float64 {
	if t.total <= 0 {
		return 0
	}
	return min(float64(t.done)/float64(t.total), 1)
}

// info is "48% 120,000/250,000 · 19,850/s · ETA 54s", or "40% · ETA 3s"
// for a long check; a paused engine has no rate and no ETA to show.
func (t tableView) info(paused bool) string {
	s := text.Counts(t.done, "row")
	switch {
	case t.table == "" && t.total > 0:
		// A long check (a soak, a wait) reports a fraction of its time, not rows.
		s = fmt.Sprintf("%3d%%", int(t.fraction()*100))
	case t.total > 0:
		s = fmt.Sprintf("%3d%% %s/%s", int(t.fraction()*100), humanize.Comma(t.done), humanize.Comma(t.total))
	}
	if paused {
		return s + " · paused"
	}
	if t.rate > 0 {
		s += " · " + humanize.Comma(int64(t.rate+0.5)) + "/s"
	}
	if t.eta > 0 {
		s += " · ETA " + text.Short(t.eta.Round(time.Second))
	}
	return s
}

// noteLines are an engine's remark on a table, wrapped under its bar:
// catch-up lag, a retry and its cause, or a warning that it is not converging.
func (m Model) noteLines(note string, nameW, w int) []string {
	indent := strings.Repeat(" ", 2+nameW+2)
	sty, text := m.sty.Muted, inert.OneLine(note)
	if strings.Contains(strings.ToLower(note), "not converging") {
		sty, text = m.sty.Warn, "⚠ "+text
	}
	lines := wrap(text, w-len(indent))
	if len(lines) > 3 {
		lines = append(lines[:2], cut(lines[2]+" "+strings.Join(lines[3:], " "), w-len(indent)))
	}
	for i := range lines {
		lines[i] = indent + sty.Render(lines[i])
	}
	return lines
}

// resultLines are an engine's verdict: match rate, per-table totals and the
// first differing keys.
func (m Model) resultLines(r *event.EngineSummary, w int) []string {
	s := m.sty
	var out []string
	var head []string
	if r.MatchRate != nil {
		sty := s.OK
		if *r.MatchRate < 1 {
			sty = s.Fail
		}
		head = append(head, sty.Render("match rate "+percent(*r.MatchRate)))
	}
	if r.DiffCount > 0 {
		head = append(head, s.Fail.Render(humanize.Comma(r.DiffCount)+" differing "+text.Noun(r.DiffCount, "row", "rows")))
	}
	if r.Repaired > 0 {
		head = append(head, humanize.Comma(r.Repaired)+" repaired")
	}
	if len(head) > 0 {
		out = append(out, s.Muted.Render("Verdict: ")+strings.Join(head, " · "))
	}
	if r.Sampled != "" {
		out = append(out, wrapIndent("  ", lines(r.Sampled), w)...)
	}
	for _, t := range r.Tables {
		line := fmt.Sprintf("  %s: %s", t.Table, text.Counts(t.Rows, "row"))
		if t.Seconds > 0 {
			line += fmt.Sprintf(" in %s (%s rows/s)", text.Short(time.Duration(t.Seconds*float64(time.Second))), humanize.Comma(int64(t.RowsPerSec+0.5)))
		}
		var diffs []string
		for _, d := range []struct {
			n    int64
			word string
		}{{t.Missing, "missing"}, {t.Extra, "extra"}, {t.Different, "different"}} {
			if d.n > 0 {
				diffs = append(diffs, humanize.Comma(d.n)+" "+d.word)
			}
		}
		if len(diffs) > 0 {
			line += " · " + strings.Join(diffs, ", ")
		}
		out = append(out, cut(inert.Line(line), w))
	}
	if len(r.Differences) > 0 {
		out = append(out, s.Muted.Render("Differing keys:"))
		for _, d := range r.Differences {
			line := fmt.Sprintf("  %-9s %s %s", d.Type, d.Table, strings.Join(d.Key, ","))
			if len(d.Columns) > 0 {
				line += " (" + strings.Join(d.Columns, ", ") + ")"
			}
			out = append(out, cut(inert.Line(line), w))
		}
		if shown := int64(len(r.Differences)); r.DiffCount > shown {
			out = append(out, s.Muted.Render(fmt.Sprintf("  … and %s more", humanize.Comma(r.DiffCount-shown))))
		}
	}
	return out
}

// wrapIndent wraps text under an indent.
func wrapIndent(indent, text string, w int) []string {
	lines := wrap(text, w-len(indent))
	for i := range lines {
		lines[i] = indent + lines[i]
	}
	return lines
}

// engineRate is the rate limit an engine runs with: the lead's last choice
// when there is one (no limit included), else the runbook's (as the
// session decides it).
func engineRate(sel selection) int {
	if e := sel.is.Engine; e != nil && (e.RateSet || e.Rate > 0) {
		return e.Rate
	}
	switch it := sel.item; {
	case it.Copy != nil:
		return it.Copy.Rate
	case it.Catchup != nil:
		return it.Catchup.Rate
	}
	return 0
}
