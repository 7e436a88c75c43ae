package console

import (
	tea "github.com/charmbracelet/bubbletea"

	"sort"
	"strconv"
	"strings"

	"runway/runbook/event"
	"runway/runbook/fold"
	"runway/runbook/session"
	"runway/ui/inert"
)

// guardMarks are each guard state's icon and word: never colour alone.
var guardMarks = map[string]string{
	event.GuardOK:       "✓ ok",
	event.GuardWarn:     "▲ warn",
	event.GuardCritical: "✗ CRITICAL",
	event.GuardError:    "? error",
}

// guardStrip is one line of the guards in force (the runbook's, and those
// of a phase running or halted) that have been sampled: name, last value,
// state and a small trend. "" when there are none.
func (m Model) guardStrip() string {
	var parts []string
	worst := event.GuardOK
	for _, g := range worstFirst(m.st.Guards) {
		if g.State == "" || !m.guardInForce(g) {
			continue
		}
		part := inert.OneLine(g.ID) + " " + inert.OneLine(shortValue(g.Value)) + " " + guardMarks[g.State]
		if t := guardSparkline(g.Samples); t != "" {
			part += " " + t
		}
		parts = append(parts, part)
		worst = worseGuard(worst, g.State)
	}
	if len(parts) == 0 {
		return ""
	}
	line := cut(" ◉ guards · "+strings.Join(parts, " · "), m.width)
	switch worst {
	case event.GuardCritical:
		return m.sty.Fail.Render(line)
	case event.GuardWarn, event.GuardError:
		return m.sty.Warn.Render(line)
	}
	return m.sty.Muted.Render(line)
}

// guardInForce reports whether g is the runbook's or its phase runs.
func (m Model) guardInForce(g fold.GuardState) bool {
	if g.Phase == "" {
		return true
	}
	for _, p := range m.st.Phases {
		if p.ID == g.Phase {
			return p.Status == fold.PhaseRunning || p.Status == fold.PhaseHalted
		}
	}
	return false
}

var guardRank = map[string]int{event.GuardOK: 0, event.GuardError: 1, event.GuardWarn: 2, event.GuardCritical: 3}

func worseGuard(a, b string) string {
	if guardRank[b] > guardRank[a] {
		return b
	}
	return a
}

// worstFirst orders guards critical, warn, error, ok (the runbook's order
// within each): a narrow strip cuts its end, so what is cut is what is well.
func worstFirst(gs []fold.GuardState) []fold.GuardState {
	out := append([]fold.GuardState(nil), gs...)
	sort.SliceStable(out, func(i, j int) bool { return guardRank[out[i].State] > guardRank[out[j].State] })
	return out
}

// shortValue keeps a value short enough for the strip.
func shortValue(v string) string {
	if r := []rune(v); len(r) > 12 {
		return string(r[:11]) + "…"
	}
	return v
}

// guardSparkline draws the last numeric samples between their least and
// greatest value; "" with fewer than two.
func guardSparkline(samples []string) string {
	const blocks = "▁▂▃▄▅▆▇█"
	levels := []rune(blocks)
	var nums []float64
	for _, s := range samples[max(len(samples)-8, 0):] {
		if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			nums = append(nums, f)
		}
	}
	if len(nums) < 2 {
		return ""
	}
	lo, hi := nums[0], nums[0]
	for _, f := range nums {
		lo, hi = min(lo, f), max(hi, f)
	}
	var b strings.Builder
	for _, f := range nums {
		i := 0
		if hi > lo {
			i = int((f - lo) / (hi - lo) * float64(len(levels)-1))
		}
		b.WriteRune(levels[min(max(i, 0), len(levels)-1)])
	}
	return b.String()
}

// guardStop reports whether a guard's critical breach holds the stop.
func (m Model) guardStop() bool { return m.st.Stop != nil && m.st.Stop.Guard != "" }

// ackGuardDialog asks the lead's reason to lift a guard's stop. Engines the
// guard paused stay paused: the lead resumes them (p) once it is safe.
func (m Model) ackGuardDialog() dialog {
	id := m.st.Stop.Guard
	lines := []string{
		inert.OneLine(m.st.Stop.Reason), // "guard ID critical: VALUE (breached THRESHOLD)"
		"Acknowledging lifts the stop; paused engines stay paused until you resume them (p).",
	}
	return textDialog{
		title: "Acknowledge a guard's breach", lines: lines, prompt: "Reason:", input: m.lineField(500, ""),
		required: "an acknowledgement needs a reason", action: "acknowledge",
		submit: func(m Model, text, _ string) (Model, tea.Cmd) {
			return m, m.do("acknowledgement of guard "+id, session.AcknowledgeGuard{Guard: id, Reason: text, Actor: m.actor()})
		},
	}
}
