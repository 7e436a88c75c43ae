package runbook

import "time"

// DefaultDriftTolerance is how far past its expected time a phase may run,
// as a share of that time, before a drift warning is recorded.
const DefaultDriftTolerance = 0.25

// Window is the change window a runbook is planned to fit: the forecast is
// held against its end.
type Window struct {
	Start, End time.Time
	Pos        Position // where window: is written
}

// Plan is what the runbook says about time: its window (nil: none) and how
// far a phase may overrun its expected time before that is drift.
type Plan struct {
	Window    *Window
	Tolerance float64 // share of a phase's expected time (0.25 = 25 %)
}
