package fold

import (
	"time"

	"runway/runbook/event"
)

// SessionStatus is where the session stands, in words.
type SessionStatus string

// Session statuses.
const (
	StatusRunning     SessionStatus = "running" // open, nothing holds
	StatusStopped     SessionStatus = "stopped" // a stop rule holds
	StatusRollingBack SessionStatus = "rolling back"
	StatusPassed      SessionStatus = "passed" // every phase passed
	StatusClosed      SessionStatus = "closed" // quit before the end; resumable
)

// PhaseStatus is a phase's state.
type PhaseStatus string

// Phase statuses.
const (
	PhaseLocked     PhaseStatus = "locked" // an earlier phase has not passed
	PhaseReady      PhaseStatus = "ready"  // may start
	PhaseRunning    PhaseStatus = "running"
	PhaseHalted     PhaseStatus = "halted" // a critical item failed: stop rule
	PhasePassed     PhaseStatus = "passed"
	PhaseRolledBack PhaseStatus = "rolled back"
)

// ItemStatus is an item's state.
type ItemStatus string

// Item statuses.
const (
	ItemPending     ItemStatus = "pending"
	ItemRunning     ItemStatus = "running"
	ItemAwaiting    ItemStatus = "awaiting sign-off"
	ItemPassed      ItemStatus = "passed"
	ItemFailed      ItemStatus = "failed"
	ItemSkipped     ItemStatus = "skipped"
	ItemOverridden  ItemStatus = "overridden"
	ItemInterrupted ItemStatus = "interrupted"
)

// Settled reports whether the item no longer blocks its phase.
func (s ItemStatus) Settled() bool {
	return s == ItemPassed || s == ItemSkipped || s == ItemOverridden
}

// State is the fold of a session's events: everything the console shows.
// It is built by NewState and advanced by Apply; nothing else mutates it.
type State struct {
	Session  string
	Runbook  string // runbook name
	Title    string
	Operator string // who opened it
	Host     string
	Started  time.Time
	Last     time.Time // time of the last event
	Seq      int64     // last event applied
	Events   int64     // events applied

	Status  SessionStatus
	Current int // index of the phase the lead is on
	Phases  []PhaseState
	Stop    *StopState   // non-nil while a stop rule holds
	Guards  []GuardState // apply_guard.go: the runbook's guards, then each phase's

	RollbackPoints []RollbackPoint // the points the session may roll back to
	Discarded      []RollbackPoint // points a successful rollback to an earlier one dropped
	Rollback       *RollbackState  // the latest rollback, running or finished
	Overrides      []OverrideRecord
	Pending        *OverrideRecord // a two-person override waiting for approval
	Notes          []NoteRecord
	Incidents      []IncidentState
	Parts          []Part   // the session's opening and each resume, in order
	Actors         []string // everyone who caused an event, in order of appearance
	Controller     string   // who may act (pairing); "" = the operator
	Refused        int      // refused actions
	Closed         bool     // session.closed seen and not resumed since

	Channels []ChannelState // notification channels, in order of first delivery
	Drifts   []DriftRecord  // drift warnings, in order (apply_drift.go)

	procSteps map[string]int // steps per emergency procedure, from the runbook (read-only)
}

// PhaseState is one phase's fold.
type PhaseState struct {
	ID       string
	Status   PhaseStatus
	Started  time.Time
	Ended    time.Time
	Items    []ItemState
	Rollback []ItemState // the phase's rollback steps, as last run
	// Generation counts the rollbacks that reset this phase's items. Engine
	// jobs carry it, so work done before a rollback is never taken as done.
	Generation int
}

// ItemState is one item's fold.
type ItemState struct {
	ID       string
	Status   ItemStatus
	Critical bool // its last failure was critical: it holds the phase until retried or overridden
	Attempt  int
	Started  time.Time
	Ended    time.Time
	Summary  string
	Output   string
	SignOff  *event.SignOffPayload
	Skip     string // reason
	Override *OverrideRecord
	Engine   *EngineState // copy, verify, catchup, compare
}

// EngineState is a data engine's live and final figures.
type EngineState struct {
	Tables     []event.ProgressPayload // latest sample per table, in first-seen order
	Checkpoint map[string]event.CheckpointPayload
	Paused     bool
	Rate       int  // rows/s limit the lead set, 0 = unlimited
	RateSet    bool // the lead set Rate; until then the runbook's rate applies
	Result     *event.EngineSummary
	Plan       *event.PlanPayload // a copy's last recorded plan (engine.plan)
}

// StopState names what holds the stop rule.
type StopState struct {
	Phase, Item string
	Guard       string // a guard's critical breach holds it ("" for an item's failure)
	Reason      string
	Choices     []string
	Since       time.Time
}

// RollbackPoint is a point the session can roll back to.
type RollbackPoint struct {
	Name     string
	Phase    string // the phase whose pass set it
	Seq      int64  // the event that set it
	Actor    string // who set it (the phase's pass)
	Checksum string
	At       time.Time
}

// RollbackState is a rollback's progress.
type RollbackState struct {
	Point    string
	Steps    []string // "phase/item"
	Done     int
	Running  bool
	OK       bool
	Reason   string
	Started  time.Time
	Finished time.Time
}

// OverrideRecord is an override, requested or done.
type OverrideRecord struct {
	Phase, Item string
	event.OverridePayload
	At time.Time
}

// Part is a stretch of the session driven by one process: from its opening
// or a resume to the next.
type Part struct {
	Seq      int64  // the session.opened or session.resumed event
	Resumed  bool   // false for the opening
	Operator string // who opened or resumed it
	Host     string
	Build    string // the binary that ran it; "" in logs of older builds
	At       time.Time
}

// NoteRecord is a note with its author.
type NoteRecord struct {
	Seq   int64 // the note's event
	Actor string
	Text  string
	At    time.Time
}

// IncidentState is an opened emergency procedure.
type IncidentState struct {
	Procedure string
	Opened    time.Time
	Actor     string
	StepsDone []bool
	Closed    bool
}
