package fold

import (
	"fmt"
	"strings"

	"runway/runbook/text"
)

// Outcome is what a bare "passed" would hide about a phase or a session:
// the items overridden, the non-critical items that failed (warnings) and the
// items skipped. The zero Outcome is a clean pass.
type Outcome struct {
	Overrides int // items passed by an override
	Warnings  int // non-critical items that failed; the phase went on
	Skips     int // items skipped with a reason
}

// Outcome counts the phase's overridden, warned and skipped items.
func (p PhaseState) Outcome() Outcome {
	var o Outcome
	for _, it := range p.Items {
		switch {
		case it.Status == ItemOverridden:
			o.Overrides++
		case it.Status == ItemSkipped:
			o.Skips++
		case it.Status == ItemFailed && !it.Critical:
			o.Warnings++
		}
	}
	return o
}

// Outcome sums the outcome of every phase of the session.
func (s State) Outcome() Outcome {
	var o Outcome
	for _, p := range s.Phases {
		po := p.Outcome()
		o.Overrides += po.Overrides
		o.Warnings += po.Warnings
		o.Skips += po.Skips
	}
	return o
}

// Clean reports whether nothing was overridden, warned or skipped.
func (o Outcome) Clean() bool { return o == Outcome{} }

// String lists what is not clean, most serious first, e.g.
// "1 override · 2 warnings · 1 skipped"; "" for a clean outcome.
func (o Outcome) String() string {
	var parts []string
	if o.Overrides > 0 {
		parts = append(parts, text.Count(o.Overrides, "override", "overrides"))
	}
	if o.Warnings > 0 {
		parts = append(parts, text.Count(o.Warnings, "warning", "warnings"))
	}
	if o.Skips > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped", o.Skips))
	}
	return strings.Join(parts, " · ")
}

// Passed is how a pass with this outcome reads: "passed", or
// "passed with 1 override · 2 skipped".
func (o Outcome) Passed() string {
	if o.Clean() {
		return "passed"
	}
	return "passed with " + o.String()
}

// Label is a phase's status in words, with its outcome when it passed:
// "halted", "passed", "passed with 1 warning".
func (p PhaseState) Label() string {
	if p.Status == PhasePassed {
		return p.Outcome().Passed()
	}
	return string(p.Status)
}

// Label is the session's status in words, with its outcome when it passed:
// "stopped", "passed", "passed with 1 override · 2 skipped".
func (s State) Label() string {
	if s.Status == StatusPassed {
		return s.Outcome().Passed()
	}
	return string(s.Status)
}
