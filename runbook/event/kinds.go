// Package event names what a session records: the kinds of events, their
// JSON payloads, and the words each event reads as. The executor writes them,
// the fold reads them; neither is needed to know what an event says.
package event

// Event kinds. Every kind is written by the executor (session.opened by the
// audit log when the session is created) and understood by the reducer.
const (
	KindSessionOpened  = "session.opened"  // audit.CreateSession: runbook, runbook_sha256, operator, host
	KindSessionResumed = "session.resumed" // ResumedPayload
	KindSessionClosed  = "session.closed"  // ClosedPayload

	KindPhaseStarted = "phase.started"
	KindPhasePassed  = "phase.passed" // PhasePayload
	KindPhaseHalted  = "phase.halted" // PhasePayload: a stop rule holds in it

	KindItemStarted     = "item.started"     // StartedPayload
	KindItemAwaiting    = "item.awaiting"    // a manual item waits for its sign-off
	KindItemPassed      = "item.passed"      // ResultPayload
	KindItemFailed      = "item.failed"      // ResultPayload
	KindItemSkipped     = "item.skipped"     // SkipPayload
	KindItemInterrupted = "item.interrupted" // the process died or quit while it ran
	KindItemRetrying    = "item.retrying"    // RetryPayload: an automatic retry is scheduled
	// KindItemProcess records the process group a command item runs as, once
	// it started: a resume after the driver was killed finds it there and
	// refuses while that group still runs. ProcessPayload.
	KindItemProcess = "item.process"

	KindOverrideRequested = "override.requested" // OverridePayload (two-person: waits for an approver)
	KindOverrideApproved  = "override.approved"  // OverridePayload
	KindOverrideRejected  = "override.rejected"  // OverridePayload
	KindItemOverridden    = "item.overridden"    // OverridePayload: the failed critical item counts as passed

	KindStopTriggered = "stop.triggered" // StopPayload
	KindStopCleared   = "stop.cleared"   // StopPayload

	KindNote = "note" // NotePayload

	KindRollbackPointSet   = "rollback_point.set"     // RollbackPointPayload
	KindRollbackStarted    = "rollback.started"       // RollbackPayload
	KindRollbackStepStart  = "rollback.step.started"  // RollbackStepPayload
	KindRollbackStepAwait  = "rollback.step.awaiting" // RollbackStepPayload: a manual step waits for its sign-off
	KindRollbackStepPassed = "rollback.step.passed"   // RollbackStepPayload
	KindRollbackStepFailed = "rollback.step.failed"   // RollbackStepPayload
	KindRollbackFinished   = "rollback.finished"      // RollbackPayload

	KindEngineProgress   = "engine.progress"   // ProgressPayload, batched telemetry (a few per second at most)
	KindEngineCheckpoint = "engine.checkpoint" // CheckpointPayload, after every committed chunk
	KindEngineControl    = "engine.control"    // ControlPayload: pause, resume, rate
	KindEnginePlan       = "engine.plan"       // PlanPayload: what a copy's preflight planned, before any write

	KindIncidentOpened = "incident.opened" // IncidentPayload
	KindIncidentStep   = "incident.step"   // IncidentPayload with Step
	KindIncidentClosed = "incident.closed" // IncidentPayload

	KindActionRefused = "action.refused" // RefusedPayload: an attempt the core refused (role, stop rule, policy)
	KindControlHanded = "control.handed" // ControlHandPayload (pairing)
)
