package console

import (
	"fmt"
	"strings"

	"runway/runbook"
	"runway/runbook/text"
	"runway/ui/inert"
	"runway/ui/style"
)

// maxOutputLines bounds the captured output shown, so a chatty command cannot
// slow the screen down.
const maxOutputLines = 400

// detailLines are the DETAIL title and the selected item's detail, scrolled.
func (m Model) detailLines(l layout) []string {
	s := m.sty
	sel := m.selected()
	if sel.item == nil {
		return pad([]string{s.Section.Render("DETAIL"), s.Muted.Render("This phase has no items.")}, l.detailRows+1)
	}
	body := m.detail(sel, m.width)
	rows := l.detailRows
	scroll := min(m.scroll, max(len(body)-rows, 0))
	head := "DETAIL · " + inert.OneLine(sel.phase.ID) + "/" + inert.OneLine(sel.item.ID)
	more := ""
	if scroll > 0 || len(body) > rows {
		more = fmt.Sprintf("lines %d–%d of %d · pgup/pgdn", scroll+1, min(scroll+rows, len(body)), len(body))
	}
	out := []string{right(s.Section.Render(cut(head, m.width-len(more)-1)), s.Muted.Render(more), m.width)}
	end := min(scroll+rows, len(body))
	out = append(out, body[scroll:end]...)
	return pad(out, rows+1)
}

// detail is everything known about one item, as lines of the given width.
// A rollback that runs or stopped short comes first; one that finished
// comes last under the items of the phases it rolled back.
func (m Model) detail(sel selection, w int) []string {
	var out []string
	if m.rollbackFirst() {
		out = append(m.rollbackLines(w), "")
	}
	out = append(out, m.itemDetail(sel, w)...)
	if !m.rollbackFirst() && m.rollbackTouches(sel.phase.ID) {
		out = append(append(out, ""), m.rollbackLines(w)...)
	}
	return out
}

// itemDetail is what is known about the item itself: its heading, what it
// does, what was decided about it, its engine and its output.
func (m Model) itemDetail(sel selection, w int) []string {
	d := &detailText{sty: m.sty, w: w}
	m.itemHeading(d, sel)
	m.itemSpec(d, sel.item)
	m.itemDecisions(d, sel)
	if sel.item.IsEngine() || len(m.live[sel.item.ID]) > 0 {
		d.add(m.engineLines(sel, w)...)
	}
	if e := sel.is.Engine; e != nil {
		d.plan(e.Plan) // plan_detail.go
	}
	d.output(sel.is.Output)
	return d.out
}

// detailText collects the detail's lines, at most w wide.
type detailText struct {
	sty style.Styles
	w   int
	out []string
}

func (d *detailText) add(lines ...string) { d.out = append(d.out, lines...) }

// labelled shows a labelled text from outside runway, inert and wrapped,
// keeping its line breaks (instructions, an observation).
func (d *detailText) labelled(label, body string) {
	for i, line := range wrap(lines(body), d.w-len(label)) {
		if i == 0 {
			d.add(d.sty.Muted.Render(label) + line)
		} else {
			d.add(strings.Repeat(" ", len(label)) + line)
		}
	}
}

// fact is a labelled text for what is one line by nature (a result, a
// reason): a line break in it can only come from a value, and must not
// start a line that looks like runway's own.
func (d *detailText) fact(label, body string) { d.labelled(label, inert.OneLine(body)) }

// itemHeading is the item's title, then its state and short facts.
func (m Model) itemHeading(d *detailText, sel selection) {
	it, is := sel.item, sel.is
	icon, word, sty := m.itemLook(is)
	if !paused(is) {
		word = string(is.Status) // the detail has room for the whole word: "awaiting sign-off"
	}
	facts := []string{it.Kind()}
	if it.Critical {
		facts = append(facts, "critical")
	}
	if role := itemRole(it); role != "" {
		facts = append(facts, "role "+inert.OneLine(role))
	}
	if is.Attempt > 1 {
		facts = append(facts, fmt.Sprintf("attempt %d", is.Attempt))
	}
	if dur := m.itemDuration(is); dur >= 0 {
		facts = append(facts, text.Short(dur))
	}
	title := it.Title
	if title == "" {
		title = it.ID
	}
	d.add(d.sty.Title.Render(cut(inert.OneLine(title), d.w)))
	d.add(cut(sty.Render(icon+" "+word)+d.sty.Muted.Render(" · "+strings.Join(facts, " · ")), d.w))
}

// itemSpec is what the item does and what its operator is told.
func (m Model) itemSpec(d *detailText, it *runbook.Item) {
	if spec := m.specLine(it); spec != "" {
		d.labelled("", spec)
	}
	if it.Instructions != "" {
		d.labelled("Instructions: ", it.Instructions)
	}
	if it.Manual != nil {
		if it.Manual.Expect != "" {
			d.labelled("Expect: ", it.Manual.Expect)
		}
		if it.Manual.Observe {
			d.add(d.sty.Muted.Render("An observation is required to sign off."))
		}
	}
}

// itemDecisions is the item's result and what operators decided about it:
// sign-off, skip, override, an override waiting for approval.
func (m Model) itemDecisions(d *detailText, sel selection) {
	it, is := sel.item, sel.is
	if is.Summary != "" {
		d.fact("Result: ", is.Summary)
	}
	if so := is.SignOff; so != nil {
		line := fmt.Sprintf("signed off by %s (%s) at %s", so.Operator, so.Role, clockOf(so.At, "15:04:05"))
		d.fact("Sign-off: ", line)
		if so.Observation != "" {
			d.labelled("Observed: ", so.Observation)
		}
	}
	if is.Skip != "" {
		d.fact("Skipped: ", is.Skip)
	}
	if o := is.Override; o != nil {
		line := fmt.Sprintf("%s — by %s (%s policy)", o.Reason, o.RequestedBy, o.Policy)
		if o.ApprovedBy != "" {
			line += ", approved by " + o.ApprovedBy
		}
		d.fact("Override: ", line)
	}
	if p := m.st.Pending; p != nil && p.Item == it.ID && p.Phase == sel.phase.ID {
		d.fact("Override requested: ", fmt.Sprintf("%s — by %s, waiting for a second operator", p.Reason, p.RequestedBy))
	}
}

// output is a command's captured output, its last maxOutputLines lines.
func (d *detailText) output(output string) {
	if output == "" {
		return
	}
	d.add(d.sty.Muted.Render("Output:"))
	out := strings.TrimRight(lines(output), "\n")
	if n := strings.Count(out, "\n") + 1; n > maxOutputLines {
		// Only the tail is wrapped: a long output costs no more than a short one.
		cutAt := len(out)
		for range maxOutputLines {
			cutAt = strings.LastIndexByte(out[:cutAt], '\n')
		}
		d.add(d.sty.Muted.Render(fmt.Sprintf("  … %d earlier lines not shown", n-maxOutputLines)))
		out = out[cutAt+1:]
	}
	for _, line := range wrap(out, d.w-2) {
		d.add("  " + line)
	}
}

// itemRole is who acts on an item: the manual sign-off role, else the item's.
func itemRole(it *runbook.Item) string {
	if it.Manual != nil && it.Manual.Role != "" {
		return it.Manual.Role
	}
	return it.Role
}

// specLine says what the item does, with secrets masked.
func (m Model) specLine(it *runbook.Item) string {
	var s string
	switch {
	case it.Command != nil:
		s = "$ " + it.Command.Run
	case it.SQL != nil:
		q := it.SQL.Query
		if q == "" {
			q = it.SQL.Exec
		}
		s = "on " + it.SQL.Conn + ": " + q
		if it.SQL.Expect != "" {
			s += " (expect " + it.SQL.Expect + ")"
		}
	case it.TCP != nil:
		s = "connect to " + it.TCP.Address
	case it.HTTP != nil:
		method := it.HTTP.Method
		if method == "" {
			method = "GET"
		}
		s = method + " " + it.HTTP.URL
	case it.Prom != nil:
		s = "query " + it.Prom.URL + ": " + it.Prom.Query + " (expect " + it.Prom.Expect + ")"
	case it.Wait != nil:
		s = fmt.Sprintf("repeat a %s check every %s for %s", it.Wait.Check.Kind(), it.Wait.Every, it.Wait.For)
	case it.Copy != nil:
		s = fmt.Sprintf("copy %s → %s: %s", it.Copy.From, it.Copy.To, strings.Join(it.Copy.Tables, ", "))
		if it.Copy.Where != "" {
			s += " where " + it.Copy.Where
		}
	case it.Verify != nil:
		s = fmt.Sprintf("verify %s ↔ %s: %s", it.Verify.From, it.Verify.To, strings.Join(it.Verify.Tables, ", "))
		if it.Verify.Sample > 0 && it.Verify.Sample < 1 {
			s += fmt.Sprintf(" (sample %s)", percent(it.Verify.Sample))
		}
	case it.Catchup != nil:
		s = fmt.Sprintf("catch up %s → %s from %s until %s", it.Catchup.From, it.Catchup.To, it.Catchup.LogTable, it.Catchup.Until)
	case it.Compare != nil:
		s = fmt.Sprintf("compare %s with %s by %s", it.Compare.Old.Conn, it.Compare.New.Conn, strings.Join(it.Compare.Key, ", "))
	}
	return m.rb.Secrets.String(specText(s))
}

// maxSpecLines is how many lines of a script or query the detail shows.
const maxSpecLines = 6

// specText keeps a multi-line command or query as lines (tabs as two
// spaces, blank lines dropped, trailing spaces cut), at most maxSpecLines.
func specText(s string) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimRight(strings.ReplaceAll(l, "\t", "  "), " \r"); strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	if n := len(lines); n > maxSpecLines {
		lines = append(lines[:maxSpecLines-1], fmt.Sprintf("  … %d more lines in the runbook", n-maxSpecLines+1))
	}
	return strings.Join(lines, "\n")
}
