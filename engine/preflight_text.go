package engine

import (
	"context"
	"fmt"
	"runway/runbook/text"
	"strings"

	"github.com/dustin/go-humanize"
)

// planWidth is the width the plan's prose is wrapped to; statements are
// shown as the database spells them, unwrapped, so they can be copied.
const planWidth = 78

// chunking says in words how the rows of a table will move.
func chunking(ctx context.Context, src, dst *DB, tp *TablePlan, opts PreflightOptions) string {
	key := "(" + strings.Join(tp.Key, ", ") + ")"
	switch opts.Engine {
	case PlanVerify:
		n := opts.ChunkRows
		if n <= 0 { // as verify chooses, unless the column types differ
			n = defaultChunkRows(ctx, src, tp.Name, checksumsOnBoth(src, dst))
		}
		s := fmt.Sprintf("key ranges of %s source rows by %s, compared on both sides", humanize.Comma(int64(n)), key)
		if tp.Rows > 0 {
			s += fmt.Sprintf(", about %s chunks", humanize.Comma((tp.Rows+int64(n)-1)/int64(n)))
		}
		return s
	case PlanCatchup:
		return "changed keys from the change log, re-read from the source by " + key + " and written in batches"
	}
	chunk, maxRows := opts.ChunkTime, opts.MaxChunkRows
	if chunk <= 0 {
		chunk = 500_000_000
	}
	if maxRows <= 0 {
		maxRows = 200_000
	}
	how := "keyset chunks by " + key + ", each " + dst.dialect.chunkWrites() + " with its checkpoint"
	if src.dialect.attaches() && sameDialect(src, dst) && src.path != "" && dst.path != "" {
		how = "keyset chunks by " + key + ", each an INSERT … SELECT from the source attached to the target"
	}
	return fmt.Sprintf("%s: %s rows at first, then sized to %s (at most %s)",
		how, humanize.Comma(int64(min(10_000, maxRows))), chunk, humanize.Comma(int64(maxRows)))
}

// Lines writes the plan as plain text, one line each, readable at 80
// columns: the databases, each table (rows, key, chunking, what happens to
// the target, triggers and foreign keys), then every problem.
func (p *Plan) Lines() []string {
	var out []string
	out = append(out, wrap(fmt.Sprintf("%s plan: %s → %s", p.Engine, p.Source, p.Target), "", "  ")...)
	if p.TargetNote != "" {
		out = append(out, wrap(p.TargetNote, "  ", "  ")...)
	}
	for _, tp := range p.Tables {
		out = append(out, "")
		out = append(out, tp.lines()...)
	}
	out = append(out, "")
	if len(p.Problems) == 0 {
		return append(out, wrap(fmt.Sprintf("no problems: the %s can start (%s)", p.Engine, text.Counts(len(p.Tables), "table")), "", "")...)
	}
	out = append(out, fmt.Sprintf("%s; nothing is written until they are fixed:", text.Counts(len(p.Problems), "problem")))
	for i, pr := range p.Problems {
		num := fmt.Sprintf("%2d. ", i+1)
		out = append(out, wrap(pr.Text, num, strings.Repeat(" ", len(num)))...)
	}
	return out
}

func (tp *TablePlan) lines() []string {
	if !tp.Found {
		return []string{tp.Name + ": not planned (see the problems below)"}
	}
	out := []string{fmt.Sprintf("%s → %s", tp.Name, tp.TargetName)}
	field := func(name, text string) {
		out = append(out, wrap(text, fmt.Sprintf("  %-9s ", name), strings.Repeat(" ", 12))...)
	}
	rows := "unknown"
	if tp.Rows >= 0 {
		rows = "about " + humanize.Comma(tp.Rows) + " (estimate)"
	}
	field("rows", rows)
	field("key", fmt.Sprintf("%s (%s)", keyLabel(tp.KeyName), strings.Join(tp.Key, ", ")))
	field("chunks", tp.Chunking)
	switch {
	case tp.Exists && tp.Compatible:
		field("target", "exists, compatible")
	case tp.Exists:
		field("target", "exists, does not fit (see the problems below)")
	case tp.Create != nil:
		field("target", "does not exist; created as:")
		out = append(out, indent(tp.Create, 14)...)
		if len(tp.Deferred) > 0 {
			out = append(out, strings.Repeat(" ", 12)+"and once the rows are in:")
			out = append(out, indent(tp.Deferred, 14)...)
		}
	default:
		field("target", "does not exist (see the problems below)")
	}
	field("triggers", triggerList(tp.Triggers))
	field("foreign", foreignList(tp.Foreign))
	for _, n := range tp.Notes {
		field("", n)
	}
	return out
}

func keyLabel(name string) string {
	if name == "PRIMARY" || name == "" {
		return "primary key"
	}
	return "unique key " + name
}

func triggerList(trs []TriggerInfo) string {
	if len(trs) == 0 {
		return "none"
	}
	var s []string
	for _, t := range trs {
		s = append(s, t.Name+" ("+t.When+")")
	}
	return strings.Join(s, ", ")
}

func foreignList(fks []ForeignKeyInfo) string {
	if len(fks) == 0 {
		return "none"
	}
	var s []string
	for _, f := range fks {
		s = append(s, fmt.Sprintf("%s (%s) → %s", f.Name, f.Columns, f.References))
	}
	return strings.Join(s, ", ")
}

// indent splits statements into lines and indents each by n spaces.
func indent(stmts []string, n int) []string {
	var out []string
	pad := strings.Repeat(" ", n)
	for _, q := range stmts {
		for _, l := range strings.Split(q, "\n") {
			out = append(out, pad+l)
		}
	}
	return out
}

// wrap breaks text into lines of at most planWidth columns at spaces: the
// first starts with first, the others with rest. A word longer than a line
// stays whole.
func wrap(text, first, rest string) []string {
	var out []string
	line := first
	empty := true
	for _, w := range strings.Fields(text) {
		if !empty && len([]rune(line))+1+len([]rune(w)) > planWidth {
			out = append(out, line)
			line, empty = rest, true
		}
		if !empty {
			line += " "
		}
		line += w
		empty = false
	}
	return append(out, strings.TrimRight(line, " "))
}
