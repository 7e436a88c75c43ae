package session

import "runway/checks"

// Action is something a participant asks the session to do. Every action
// carries its Actor ("" = the session's operator); the core checks it against
// the state, the stop rules and the runbook's policy before doing anything.
type Action interface {
	// ActionName is the action's name in refusals ("run item", "override", …).
	ActionName() string
	actor() string
}

// RunItem runs one item: the next one of its phase, or a failed or
// interrupted one again. A manual item starts waiting for its sign-off.
type RunItem struct {
	Actor, Phase, Item string
}

// RunPhase runs the rest of a phase in order, stopping at a manual item that
// waits for a sign-off, or when a stop rule triggers.
type RunPhase struct {
	Actor, Phase string
}

// SignOff records a manual item's verdict.
type SignOff struct {
	Actor, Item string
	SignOff     checks.SignOff
}

// Skip skips a non-critical item, with a reason. Critical items can't be skipped.
type Skip struct {
	Actor, Item, Reason string
}

// Retry runs a failed or interrupted item again.
type Retry struct {
	Actor, Item string
}

// Override counts a failed critical item as passed, as the phase's overrides
// policy allows: forbidden, with a reason, or with a second person's approval.
type Override struct {
	Actor, Item, Reason string
}

// ApproveOverride approves a two-person override; the approver must be
// someone other than the requester.
type ApproveOverride struct {
	Actor, Item string
}

// RejectOverride turns down a pending two-person override.
type RejectOverride struct {
	Actor, Item string
}

// SetRollbackPoint records a manual rollback point at the current state.
type SetRollbackPoint struct {
	Actor, Name string
}

// Rollback rolls back to a point: the rollback steps of every phase entered
// since run newest phase first, after the point's checksum is checked.
type Rollback struct {
	Actor, Point string
}

// Note records a free-text note.
type Note struct {
	Actor, Text string
}

// PauseEngine pauses a running data engine at its next chunk.
type PauseEngine struct {
	Actor, Item string
}

// ResumeEngine resumes a paused data engine.
type ResumeEngine struct {
	Actor, Item string
}

// SetRate changes a running engine's rate limit in rows/s (0 = unlimited).
type SetRate struct {
	Actor, Item string
	Rate        int
}

// OpenIncident opens an emergency procedure.
type OpenIncident struct {
	Actor, Procedure string
}

// IncidentStep marks a step (1-based) of an open procedure done.
type IncidentStep struct {
	Actor, Procedure string
	Step             int
}

// CloseIncident closes an open procedure.
type CloseIncident struct {
	Actor, Procedure string
}

func (a RunItem) ActionName() string          { return "run item" }
func (a RunPhase) ActionName() string         { return "run phase" }
func (a SignOff) ActionName() string          { return "sign off" }
func (a Skip) ActionName() string             { return "skip" }
func (a Retry) ActionName() string            { return "retry" }
func (a Override) ActionName() string         { return "override" }
func (a ApproveOverride) ActionName() string  { return "approve override" }
func (a RejectOverride) ActionName() string   { return "reject override" }
func (a SetRollbackPoint) ActionName() string { return "set rollback point" }
func (a Rollback) ActionName() string         { return "roll back" }
func (a Note) ActionName() string             { return "note" }
func (a PauseEngine) ActionName() string      { return "pause engine" }
func (a ResumeEngine) ActionName() string     { return "resume engine" }
func (a SetRate) ActionName() string          { return "set rate" }
func (a OpenIncident) ActionName() string     { return "open incident" }
func (a IncidentStep) ActionName() string     { return "incident step" }
func (a CloseIncident) ActionName() string    { return "close incident" }

func (a RunItem) actor() string          { return a.Actor }
func (a RunPhase) actor() string         { return a.Actor }
func (a SignOff) actor() string          { return a.Actor }
func (a Skip) actor() string             { return a.Actor }
func (a Retry) actor() string            { return a.Actor }
func (a Override) actor() string         { return a.Actor }
func (a ApproveOverride) actor() string  { return a.Actor }
func (a RejectOverride) actor() string   { return a.Actor }
func (a SetRollbackPoint) actor() string { return a.Actor }
func (a Rollback) actor() string         { return a.Actor }
func (a Note) actor() string             { return a.Actor }
func (a PauseEngine) actor() string      { return a.Actor }
func (a ResumeEngine) actor() string     { return a.Actor }
func (a SetRate) actor() string          { return a.Actor }
func (a OpenIncident) actor() string     { return a.Actor }
func (a IncidentStep) actor() string     { return a.Actor }
func (a CloseIncident) actor() string    { return a.Actor }

// RefusedError is an action the core refused, with a one-line reason. The
// refusal is recorded as an action.refused event.
type RefusedError struct {
	Action string
	Reason string
}

func (e *RefusedError) Error() string { return e.Action + " refused: " + e.Reason }
