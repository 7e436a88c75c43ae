package report

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"runway/runbook/text"
	"runway/ui/inert"
)

// WriteMarkdown writes the report as Markdown that reads well in a
// terminal and renders on a forge: tables for lists, fenced blocks for
// captured output and the runbook text. Recorded text is inert (see
// runway/ui/inert): a report read with cat cannot drive the terminal, and a
// value cannot forge a heading, a table row or a link.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var doc strings.Builder
	if err := r.markdown(&doc); err != nil {
		return err
	}
	// Every value was made inert where it was placed; this pass guards
	// whatever a new section forgets.
	if _, err := io.WriteString(w, inert.Text(doc.String())); err != nil {
		return fmt.Errorf("write Markdown report: %w", err)
	}
	return nil
}

// markdown writes the report's sections.
func (r *Report) markdown(w io.Writer) error {
	m := &md{w: bufio.NewWriter(w)}
	m.header(r)
	m.participants(r)
	m.phases(r)
	m.plan(r) // markdown_plan.go
	m.failures(r)
	m.overrides(r)
	m.signoffs(r)
	m.rollbacks(r)
	m.engines(r)
	m.guards(r) // guards.go
	m.extras(r)
	m.timeline(r)
	m.runbook(r)
	return m.w.Flush()
}

// md writes Markdown; cells and inline text go through cell, blocks through fence.
type md struct{ w *bufio.Writer }

func (m *md) p(format string, args ...any) { fmt.Fprintf(m.w, format+"\n", args...) }

func (m *md) h2(title string, n int) {
	if n >= 0 {
		title += " (" + Count(int64(n)) + ")"
	}
	m.p("\n## %s\n", title)
}

// row writes one table row of escaped cells.
func (m *md) row(cells ...string) {
	m.w.WriteString("|")
	for _, c := range cells {
		m.w.WriteString(" " + cell(c) + " |")
	}
	m.w.WriteString("\n")
}

// table writes a header row and its separator.
func (m *md) table(heads ...string) {
	m.row(heads...)
	m.w.WriteString("|" + strings.Repeat("---|", len(heads)) + "\n")
}

// fence writes text in a fenced block whose fence is longer than any run of
// backticks inside it; the text is inert, its line breaks kept.
func (m *md) fence(lang, text string) {
	text = inert.Text(text)
	f := strings.Repeat("`", max(3, longestRun(text, '`')+1))
	m.p("%s%s\n%s\n%s", f, lang, strings.TrimRight(text, "\n"), f)
}

func longestRun(s string, c rune) int {
	best, n := 0, 0
	for _, r := range s {
		if r == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// cellEscapes keep recorded text from breaking a table (|), becoming HTML
// (<), a link or an image ([), or a character reference (&#…;, &name;) on
// a forge.
var cellEscapes = strings.NewReplacer(`\`, `\\`, "|", `\|`, "<", `\<`, "[", `\[`, "&", `\&`)

// blockStart is what makes a line a heading, a quote, a list item, a
// setext underline, a rule or a fence when it starts one.
var blockStart = regexp.MustCompile("^(#{1,6}(\\s|$)|>|[-+*](\\s|$)|\\d{1,9}[.)](\\s|$)|={3,}|-{3,}|\\*{3,}|_{3,}|`{3,}|~{3,})")

// cell makes text safe in a table cell or within a line: one inert line
// (see runway/ui/inert) with its Markdown-active characters escaped, so
// recorded text can neither break the table nor become a link, an image or
// HTML.
func cell(s string) string {
	return inert.Line(cellEscapes.Replace(text.OneLine(s)))
}

// lead is cell for text that starts a line: a leading block marker is
// escaped too, so the text cannot start a heading, a list or a fence.
func lead(s string) string {
	s = cell(s)
	if m := blockStart.FindString(s); m != "" {
		// A backslash before the marker makes it text; in "1. " it goes
		// before the dot.
		at := 0
		if m[0] >= '0' && m[0] <= '9' {
			at = strings.IndexAny(m, ".)")
		}
		s = s[:at] + `\` + s[at:]
	}
	return s
}

// code is inline code for ids; backticks inside fall back to escaped text.
func code(s string) string {
	s = inert.Line(s)
	if s == "" {
		return ""
	}
	if strings.ContainsAny(s, "`\n|") {
		return s
	}
	return "`" + s + "`"
}

func (m *md) header(r *Report) {
	title := orString(r.Runbook.Title, r.Session.Runbook)
	m.p("# Postmortem: %s\n", cell(title))
	if r.Chain.OK {
		m.p("> **✔ %s**\n", cell(r.Chain.Summary))
	} else {
		m.p("> **✖ %s**\n", cell(r.Chain.Summary))
	}
	s := r.Session
	m.table("", "")
	m.row("Session", code(s.ID))
	m.row("Runbook", fmt.Sprintf("%s — %s (sha256 %s)", code(s.Runbook), r.Runbook.Title, short(r.Runbook.SHA256)))
	m.row("Operator", s.Operator+" on "+s.Host)
	m.row("Started", Stamp(s.Started))
	ended := "not closed"
	if s.Ended != nil {
		ended = Stamp(*s.Ended)
	}
	m.row("Ended", fmt.Sprintf("%s (took %s, last event %s)", ended, orString(s.Duration, "-"), Stamp(s.LastEvent)))
	m.row("Outcome", Mark(orString(s.Verdict, s.State))+" — "+s.Outcome)
	events := Count(s.Events) + " events"
	if s.Resumes > 0 {
		events += fmt.Sprintf(", resumed %d×", s.Resumes)
	}
	m.row("Events", events)
	m.row(buildsLabel(s.Parts), buildsText(s.Parts))
	if r.AuditLog != "" {
		m.row("Audit log", r.AuditLog)
	}
	if !r.Generated.IsZero() {
		m.row("Report generated", Stamp(r.Generated))
	}
	m.p("\n**%s**", cell(r.Tally()))
}

func short(sha string) string {
	sha = strings.TrimPrefix(sha, "sha256:")
	if len(sha) > 12 {
		return sha[:12] + "…"
	}
	return orString(sha, "-")
}

func (m *md) participants(r *Report) {
	m.h2("Participants", len(r.Participants))
	m.table("Who", "Roles", "Events", "First", "Last")
	for _, p := range r.Participants {
		m.row(p.Name, joinOr(p.Roles, "-"), Count(int64(p.Events)), Stamp(p.First), Stamp(p.Last))
	}
}

func (m *md) phases(r *Report) {
	m.h2("Phases", len(r.Phases))
	if len(r.Phases) == 0 {
		m.p("No phases: %s", cell(orString(r.Runbook.Problem, "the runbook has none")))
		return
	}
	m.table("#", "Phase", "Risk", "Status", "Expected", "Actual", "Rollback point")
	for i, p := range r.Phases {
		m.row(strconv.Itoa(i+1), p.Title+" ("+code(p.ID)+")", p.Risk, Mark(orString(p.Verdict, p.Status)), orString(p.Expected, "-"), actual(p), orString(p.RollbackPoint, "-"))
	}
	for i, p := range r.Phases {
		m.p("\n### %d. %s — %s\n", i+1, cell(p.Title), Mark(orString(p.Verdict, p.Status)))
		m.p("Expected %s, actual %s.\n", cell(orString(p.Expected, "-")), cell(actual(p)))
		if p.Status == "rolled back" {
			m.p("A rollback reset these items; what they did before it is under Failures and in the Timeline.\n")
		}
		if p.Actual == "" {
			ids := make([]string, len(p.Items))
			for j, it := range p.Items {
				ids[j] = code(it.ID)
			}
			m.p("Not started: %s.", cell(text.Count(len(p.Items), "item", "items")+" — "+strings.Join(ids, ", ")))
			continue
		}
		m.table("Item", "Kind", "Critical", "Status", "Attempts", "Took", "Summary")
		for _, it := range p.Items {
			crit := ""
			if it.Critical {
				crit = "critical"
			}
			m.row(it.Title+" ("+code(it.ID)+")", it.Kind, crit, Mark(it.Status), attempts(it.Attempts), orString(it.Duration, "-"),
				orString(it.Summary, it.SkipReason))
		}
	}
}

// actual is a phase's actual duration with its comparison to the expected one.
func actual(p Phase) string {
	if p.Actual == "" {
		return "not started"
	}
	s := p.Actual
	switch {
	case p.Finished:
	case p.Status == "rolled back":
		s += " until rolled back"
	case p.Status == "halted":
		s += " until halted"
	default:
		s += " so far, not finished"
	}
	if p.OverExpected {
		return s + ", over the expected " + p.Expected
	}
	if p.Finished {
		return s + ", within the expected " + p.Expected
	}
	return s
}

func attempts(n int) string {
	if n == 0 {
		return "-"
	}
	return strconv.Itoa(n)
}

func (m *md) failures(r *Report) {
	m.h2("Failures", len(r.Failures))
	if len(r.Failures) == 0 {
		m.p("None.")
	}
	for _, f := range r.Failures {
		what := "item"
		if f.Rollback {
			what = "rollback step"
		}
		crit := ""
		if f.Critical {
			crit = " · critical"
		}
		m.p("\n### ✖ %s — %s\n", cell(f.Phase+" / "+f.Item), cell(f.Title))
		m.p("- %s at %s (event %d) · %s · attempt %s%s · by %s", what, Stamp(f.At), f.Seq, "failed", attempts(f.Attempt), crit, cell(f.Actor))
		m.p("- Summary: %s", cell(orString(f.Summary, "-")))
		m.p("- What happened next: %s\n", cell(orString(f.Resolution, "-")))
		if strings.TrimSpace(f.Output) == "" {
			m.p("No output was captured.")
		} else {
			m.fence("text", f.Output)
		}
	}
}

func (m *md) overrides(r *Report) {
	m.h2("Overrides", len(r.Overrides))
	if len(r.Overrides) == 0 {
		m.p("None.")
		return
	}
	m.table("When", "Item", "Reason", "Policy", "Requested by", "Approved by", "Outcome")
	for _, o := range r.Overrides {
		approved := orString(o.ApprovedBy, "-")
		if o.RejectedBy != "" {
			approved = "rejected by " + o.RejectedBy
		}
		m.row(Stamp(o.At), o.Title+" ("+code(o.Phase+"/"+o.Item)+")", o.Reason, o.Policy, o.RequestedBy, approved, Mark(o.Outcome))
	}
}

func (m *md) signoffs(r *Report) {
	m.h2("Sign-offs", len(r.SignOffs))
	if len(r.SignOffs) == 0 {
		m.p("None.")
		return
	}
	m.table("When", "Item", "Who", "Role", "Verdict", "Expected", "Observed")
	for _, s := range r.SignOffs {
		m.row(Stamp(s.At), s.Title+" ("+code(s.Phase+"/"+s.Item)+")", s.Operator, orString(s.Role, "-"), Mark(s.Verdict),
			orString(s.Expected, "-"), orString(s.Observation, "-"))
	}
}

func (m *md) rollbacks(r *Report) {
	m.h2("Rollback points", len(r.RollbackPoints))
	if len(r.RollbackPoints) == 0 {
		m.p("None.")
	} else {
		m.table("Point", "Phase", "Set at", "By", "State checksum", "Still valid")
		for _, p := range r.RollbackPoints {
			valid := "yes"
			if !p.Valid {
				valid = "no: discarded by a rollback"
			}
			m.row(code(p.Name), p.Phase, Stamp(p.At), p.Actor, short(p.Checksum), valid)
		}
	}
	m.h2("Rollbacks", len(r.Rollbacks))
	if len(r.Rollbacks) == 0 {
		m.p("None.")
	}
	for _, rb := range r.Rollbacks {
		status := "running when the log ends"
		if rb.Finished != nil {
			status = "✔ finished at " + Stamp(*rb.Finished)
			if !rb.OK {
				status = Mark("failed") + " at " + Stamp(*rb.Finished) + ": " + rb.Reason
			}
		}
		m.p("\n### ↺ Rollback to %s\n", cell(rb.Point))
		m.p("Started by %s at %s; %s.\n", cell(rb.Actor), Stamp(rb.Started), cell(status))
		if len(rb.Steps) > 0 {
			m.table("Step", "Phase", "Status", "Summary")
			for _, s := range rb.Steps {
				m.row(s.Title+" ("+code(s.Item)+")", s.Phase, Mark(s.Status), orString(s.Summary, "-"))
			}
		}
	}
}
