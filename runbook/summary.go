package runbook

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"runway/runbook/text"
)

// Summary is the shape of a runbook at a glance, as lint and the console show it.
type Summary struct {
	Name, Title   string
	Phases        int
	Items         int // checklist items, rollback steps not included
	Critical      int
	RollbackSteps int
	Connections   int
	Procedures    int
	Risks         []RiskSummary // in file order
}

// RiskSummary is one risk with its computed level.
type RiskSummary struct {
	ID, Name            string
	Probability, Impact Level
	Level               Level
}

// Summary counts the runbook's phases, items and critical items and rates its risks.
func (rb *Runbook) Summary() Summary {
	s := Summary{Name: rb.Name, Title: rb.Title, Phases: len(rb.Phases),
		Connections: len(rb.Connections), Procedures: len(rb.Procedures)}
	for _, p := range rb.Phases {
		s.Items += len(p.Items)
		s.RollbackSteps += len(p.Rollback)
		for _, it := range p.Items {
			if it.Critical {
				s.Critical++
			}
		}
	}
	for _, r := range rb.Risks {
		s.Risks = append(s.Risks, RiskSummary{ID: r.ID, Name: r.Name, Probability: r.Probability, Impact: r.Impact, Level: r.Level()})
	}
	return s
}

// RiskCount is how many risks have the given level.
func (s Summary) RiskCount(l Level) int {
	n := 0
	for _, r := range s.Risks {
		if r.Level == l {
			n++
		}
	}
	return n
}

// String is the one-line summary: "5 phases, 31 items (12 critical), 4 risks
// (2 high, 1 medium, 1 low), 3 procedures".
func (s Summary) String() string {
	risks := text.Counts(len(s.Risks), "risk")
	if len(s.Risks) > 0 {
		var parts []string
		for _, l := range []Level{High, Medium, Low} {
			if n := s.RiskCount(l); n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, l))
			}
		}
		risks += " (" + strings.Join(parts, ", ") + ")"
	}
	return fmt.Sprintf("%s, %s (%d critical), %s, %s",
		text.Counts(s.Phases, "phase"), text.Counts(s.Items, "item"), s.Critical, risks, text.Counts(s.Procedures, "procedure"))
}

// RiskLines is the risk register as aligned lines, in file order:
// "RISK-001 data loss   high   (medium × high)".
func (s Summary) RiskLines() []string {
	idW, nameW := 0, 0
	for _, r := range s.Risks {
		idW = max(idW, utf8.RuneCountInString(r.ID))
		nameW = max(nameW, utf8.RuneCountInString(r.Name))
	}
	lines := make([]string, 0, len(s.Risks))
	for _, r := range s.Risks {
		lines = append(lines, fmt.Sprintf("%s %s %-6s (%s × %s)",
			pad(r.ID, idW), pad(r.Name, nameW), r.Level, r.Probability, r.Impact))
	}
	return lines
}

func pad(s string, width int) string {
	if n := utf8.RuneCountInString(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}
