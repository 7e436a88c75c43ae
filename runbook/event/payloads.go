package event

import "time"

// Payloads are the JSON bodies of events. Field names are the log's format:
// change them only with a migration of old logs in mind.

// ResumedPayload records who reopened the session, and where.
type ResumedPayload struct {
	Operator string `json:"operator"`
	Host     string `json:"host"`
	PID      int    `json:"pid"`
	Build    string `json:"build,omitempty"` // the binary that resumed it (audit.Build)
}

// Ending statuses for a session closed by something other than the
// operator's choice (ClosedPayload.Status).
const (
	// StatusHangup: the terminal went away (SIGHUP, a lost SSH link, a
	// closed tmux window) or the output could no longer be written.
	StatusHangup = "hangup"
	// StatusSignalled: runway was asked to stop (SIGINT, SIGTERM).
	StatusSignalled = "interrupted"
)

// ClosedPayload records how a session ended (or paused, when quit mid-way).
type ClosedPayload struct {
	Status string `json:"status"` // passed, stopped, quit, aborted
	// Warnings counts the non-critical items that failed: a passed session
	// with some passed "with N warnings".
	Warnings int `json:"warnings,omitempty"`
	// Outcome is what a pass hid: "1 override · 2 skipped"; "" for a clean one.
	Outcome string    `json:"outcome,omitempty"`
	Reason  string    `json:"reason,omitempty"`
	Ended   time.Time `json:"ended"` // the sessions row's ended, which verify-log holds to it
}

// PhasePayload names a phase event's reason.
type PhasePayload struct {
	Reason string `json:"reason,omitempty"`
}

// StartedPayload opens one attempt of an item.
type StartedPayload struct {
	Kind     string `json:"kind"`
	Attempt  int    `json:"attempt"`
	Rollback bool   `json:"rollback,omitempty"`
}

// SignOffPayload is a manual item's sign-off.
type SignOffPayload struct {
	Operator    string    `json:"operator"`
	Role        string    `json:"role"`
	Observation string    `json:"observation,omitempty"`
	At          time.Time `json:"at"`
}

// ResultPayload is a verdict on one attempt of an item.
type ResultPayload struct {
	Attempt    int             `json:"attempt"`
	Summary    string          `json:"summary"`
	Output     string          `json:"output,omitempty"`
	DurationMS int64           `json:"duration_ms"`
	SignOff    *SignOffPayload `json:"signoff,omitempty"`
	Engine     *EngineSummary  `json:"engine,omitempty"`
	Critical   bool            `json:"critical,omitempty"` // a compare below critical_below fails critically
}

// EngineSummary is what a data engine reports when it finishes.
type EngineSummary struct {
	Tables      []TableSummary `json:"tables,omitempty"`
	MatchRate   *float64       `json:"match_rate,omitempty"`  // verify, compare
	Differences []Difference   `json:"differences,omitempty"` // bounded list, the first ones
	DiffCount   int64          `json:"diff_count,omitempty"`
	Repaired    int64          `json:"repaired,omitempty"`
	Repairs     []Difference   `json:"repairs,omitempty"` // what a repair changed, the first ones; Type is inserted, updated, deleted or replaced
	Sampled     string         `json:"sampled,omitempty"` // e.g. "10% of chunks: a difference in more than 0.3% of rows would be seen with 95% confidence"
}

// TableSummary is one table's totals.
type TableSummary struct {
	Table      string  `json:"table"`
	Rows       int64   `json:"rows"`
	Seconds    float64 `json:"seconds"`
	RowsPerSec float64 `json:"rows_per_sec"`
	Missing    int64   `json:"missing,omitempty"`
	Extra      int64   `json:"extra,omitempty"`
	Different  int64   `json:"different,omitempty"`
}

// Difference is one differing row found by verify or compare.
type Difference struct {
	Table   string   `json:"table"`
	Key     []string `json:"key"`
	Type    string   `json:"type"` // missing, extra, different
	Columns []string `json:"columns,omitempty"`
}

// SkipPayload records why a non-critical item was skipped.
type SkipPayload struct {
	Reason string `json:"reason"`
}

// RetryPayload records an automatic retry.
type RetryPayload struct {
	Attempt int    `json:"attempt"` // the attempt about to start
	DelayMS int64  `json:"delay_ms"`
	Summary string `json:"summary,omitempty"` // why the previous attempt failed
}

// OverridePayload records an override request, approval or the override itself.
type OverridePayload struct {
	Reason      string `json:"reason"`
	Policy      string `json:"policy"`
	RequestedBy string `json:"requested_by"`
	ApprovedBy  string `json:"approved_by,omitempty"`
	// RequestedUID and ApprovedUID are the OS users the kernel vouched for,
	// outside serve: the requesting process's, and the approving peer's on
	// the approval socket. A pairing participant (serve) is known by their
	// SSH key instead, and has none.
	RequestedUID *int `json:"requested_uid,omitempty"`
	ApprovedUID  *int `json:"approved_uid,omitempty"`
}

// StopPayload names the item whose failure holds the stop rule.
type StopPayload struct {
	Reason  string   `json:"reason"`
	Choices []string `json:"choices,omitempty"` // retry, override, rollback
	Guard   string   `json:"guard,omitempty"`   // a guard's critical breach holds it
}

// NotePayload is a free-text note.
type NotePayload struct {
	Text string `json:"text"`
}

// RollbackPointPayload records a rollback point and the state it was set in.
type RollbackPointPayload struct {
	Name     string `json:"name"`
	Checksum string `json:"checksum"` // StateChecksum of the fold up to and including the phase's pass
}

// RollbackPayload opens or closes a rollback to a point.
type RollbackPayload struct {
	Point  string   `json:"point"`
	Steps  []string `json:"steps,omitempty"` // "phase/item", in the order they run
	OK     bool     `json:"ok,omitempty"`
	Reason string   `json:"reason,omitempty"`
}

// RollbackStepPayload is one rollback step's progress or verdict.
type RollbackStepPayload struct {
	Point   string `json:"point"`
	Summary string `json:"summary,omitempty"`
	Output  string `json:"output,omitempty"`
}

// ProgressPayload is a sample of an engine's progress on one table.
type ProgressPayload struct {
	Table      string  `json:"table"`
	Done       int64   `json:"done"`
	Total      int64   `json:"total"`
	RowsPerSec float64 `json:"rows_per_sec"`
	ETAms      int64   `json:"eta_ms,omitempty"`
	Note       string  `json:"note,omitempty"` // catch-up lag, "not converging", …
}

// CheckpointPayload records a committed chunk of an engine's work.
type CheckpointPayload struct {
	Table   string   `json:"table"`
	LastKey []string `json:"last_key,omitempty"`
	Rows    int64    `json:"rows"`
	Done    bool     `json:"done,omitempty"`
}

// ControlPayload records a live change to a running engine.
type ControlPayload struct {
	Action string `json:"action"` // pause, resume, rate
	Rate   int    `json:"rate,omitempty"`
}

// IncidentPayload records an emergency procedure being opened or walked.
type IncidentPayload struct {
	Procedure string `json:"procedure"`
	Step      int    `json:"step,omitempty"` // 1-based step marked done
	Note      string `json:"note,omitempty"`
}

// RefusedPayload records an action the core refused, and why.
type RefusedPayload struct {
	Action string `json:"action"`
	Reason string `json:"reason"`
}

// ControlHandPayload records control handed from one participant to another.
type ControlHandPayload struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// ProcessPayload names a running command's process group and where it runs.
type ProcessPayload struct {
	PGID int    `json:"pgid"` // the shell's pid, leader of its own group
	Host string `json:"host"`
}
