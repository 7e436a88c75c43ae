package runbook

import "time"

// Guard defaults and bounds the format promises.
const (
	DefaultGuardEvery = Duration(30 * time.Second)
	MinGuardEvery     = Duration(time.Second)
)

// Guard watches a live value while the session (a runbook-level guard) or
// its phase (a phase guard) runs. Its check is read-only: sql with a query,
// http, tcp, command or prom. A threshold is breached when its comparison
// holds: critical: "> 0.05" breaches when the value is above 0.05.
type Guard struct {
	ID       string
	Title    string
	Check    Spec     // exactly one of SQL (Query only), HTTP, TCP, Command, Prom
	Every    Duration // between evaluations (DefaultGuardEvery)
	For      int      // breaches in a row before the state changes (1)
	Warn     *GuardCondition
	Critical *GuardCondition
	Phase    string   // "" for a runbook-level guard
	Pos      Position // where the guard starts in the file
}

// Trends a guard condition reads.
const (
	TrendValue = "value" // the sample itself
	TrendRate  = "rate"  // per-second change over Window
	TrendDelta = "delta" // change over Window
)

// GuardCondition is a threshold: a leaf (Trend, Expect, Window) or a group
// (All or Any of its conditions).
type GuardCondition struct {
	All, Any []GuardCondition
	Trend    string   // TrendValue, TrendRate or TrendDelta (leaf)
	Expect   string   // "> 0.05", "!= 0", … breached when it holds (leaf)
	Window   Duration // rate and delta: how far back the change is taken
}

// Leaf reports whether c is a single comparison.
func (c GuardCondition) Leaf() bool { return len(c.All) == 0 && len(c.Any) == 0 }

// String writes the condition as a lead reads it: "> 0.05",
// "rate(5m) > 10", "all(> 1, delta(1m) > 0)".
func (c GuardCondition) String() string {
	switch {
	case len(c.All) > 0:
		return "all(" + joinConds(c.All) + ")"
	case len(c.Any) > 0:
		return "any(" + joinConds(c.Any) + ")"
	case c.Trend == TrendRate || c.Trend == TrendDelta:
		return c.Trend + "(" + c.Window.String() + ") " + c.Expect
	}
	return c.Expect
}

// Windows is the longest trend window in c (0 when it reads no trend).
func (c GuardCondition) Windows() Duration {
	w := c.Window
	for _, sub := range append(append([]GuardCondition(nil), c.All...), c.Any...) {
		w = max(w, sub.Windows())
	}
	return w
}

func joinConds(cs []GuardCondition) string {
	s := ""
	for i, c := range cs {
		if i > 0 {
			s += ", "
		}
		s += c.String()
	}
	return s
}

// ActiveGuards lists the guards active while phase pi runs: the runbook's,
// then the phase's own.
func (rb *Runbook) ActiveGuards(pi int) []Guard {
	out := append([]Guard(nil), rb.Guards...)
	if pi >= 0 && pi < len(rb.Phases) {
		out = append(out, rb.Phases[pi].Guards...)
	}
	return out
}

// AllGuards lists every guard: the runbook's, then each phase's in order.
func (rb *Runbook) AllGuards() []Guard {
	out := append([]Guard(nil), rb.Guards...)
	for _, p := range rb.Phases {
		out = append(out, p.Guards...)
	}
	return out
}

// Guard notifications: a guard's breach (warn or critical, sent with that
// severity) and its recovery (info).
const (
	NoticeGuardBreach   = "guard_breach"
	NoticeGuardRecovery = "guard_recovery"
)

// PicksNotice reports whether the route sends a notice of this kind sent
// with this severity (a guard's breach is warning or critical).
func (r Route) PicksNotice(kind, severity string) bool {
	if severity == "" {
		return r.Picks(kind)
	}
	if len(r.Events) > 0 && !contains(r.Events, kind) {
		return false
	}
	return SeverityRank(severity) >= SeverityRank(r.Severity)
}
