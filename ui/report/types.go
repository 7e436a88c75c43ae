package report

import (
	"time"

	"runway/runbook/event"
)

// FormatVersion is the version of the JSON layout of Report.
const FormatVersion = 1

// Report is the postmortem of one session. Every list is present (empty,
// never null) so the JSON form has a stable shape.
type Report struct {
	FormatVersion  int             `json:"format_version"`
	Generated      time.Time       `json:"generated"`
	AuditLog       string          `json:"audit_log"`
	Chain          Chain           `json:"hash_chain"`
	Session        Session         `json:"session"`
	Runbook        RunbookInfo     `json:"runbook"`
	Participants   []Participant   `json:"participants"`
	Phases         []Phase         `json:"phases"`
	Failures       []Failure       `json:"failures"`
	Overrides      []Override      `json:"overrides"`
	SignOffs       []SignOff       `json:"signoffs"`
	RollbackPoints []RollbackPoint `json:"rollback_points"`
	Rollbacks      []Rollback      `json:"rollbacks"`
	Engines        []Engine        `json:"engines"`
	Notes          []Note          `json:"notes"`
	Incidents      []Incident      `json:"incidents"`
	Refusals       []Refusal       `json:"refusals"`
	Notifications  []Notification  `json:"notifications"`
	Guards         []Guard         `json:"guards"` // guards.go
	Plan           PlanActual      `json:"plan"`   // plan.go
	Timeline       []Entry         `json:"timeline"`
}

// Chain is the result of checking the whole audit log's hash chain.
type Chain struct {
	OK       bool   `json:"ok"`
	Summary  string `json:"summary"` // "hash chain intact: 1,234 events" or "TAMPERED: event 42: …"
	Events   int64  `json:"events"`  // events verified before the first fault (all of them when OK)
	Sessions int    `json:"sessions"`
	FirstBad int64  `json:"first_bad,omitempty"`
	Reason   string `json:"reason,omitempty"`
	LastHash string `json:"last_hash,omitempty"`
}

// Session says what ran, who opened it, when, and how it ended.
type Session struct {
	ID          string     `json:"id"`
	Runbook     string     `json:"runbook"`
	Title       string     `json:"title"`
	Operator    string     `json:"operator"`
	Host        string     `json:"host"`
	Started     time.Time  `json:"started"`
	Ended       *time.Time `json:"ended"` // nil while it runs, or when it died without closing
	LastEvent   time.Time  `json:"last_event"`
	Duration    string     `json:"duration"` // start to end, or to the last event
	DurationSec float64    `json:"duration_seconds"`
	Status      string     `json:"status"`  // as stored in the log: running, passed, stopped, quit, …
	State       string     `json:"state"`   // from the fold of the events: running, stopped, passed, …
	Verdict     string     `json:"verdict"` // State in words: "passed with 1 override · 2 skipped" when that is the truth
	Outcome     string     `json:"outcome"` // one line for the top of the report
	Events      int64      `json:"events"`
	Resumes     int        `json:"resumes"`
	Parts       []Part     `json:"parts"` // the opening and each resume, with the build that ran it
}

// Part is a stretch of the session one process drove: from its opening or a
// resume to the next.
type Part struct {
	Seq      int64     `json:"seq"`
	At       time.Time `json:"at"`
	How      string    `json:"how"` // opened, resumed
	Operator string    `json:"operator"`
	Host     string    `json:"host"`
	Build    string    `json:"build"` // the runway build; "" in logs of builds that did not record it
}

// RunbookInfo is the runbook as stored with the session.
type RunbookInfo struct {
	Name    string `json:"name"`
	Title   string `json:"title"`
	Owner   string `json:"owner"`
	Path    string `json:"path"`
	SHA256  string `json:"sha256"`
	Text    string `json:"text"`              // the stored text: ${VAR} references, never their values
	Problem string `json:"problem,omitempty"` // why the stored text could not be read again, if it could not
	Risks   []Risk `json:"risks"`
}

// Risk is one entry of the runbook's risk register.
type Risk struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Probability string `json:"probability"`
	Impact      string `json:"impact"`
	Score       int    `json:"score"`
	Level       string `json:"level"`
	Mitigation  string `json:"mitigation"`
}

// Participant is someone who caused at least one event.
type Participant struct {
	Name   string    `json:"name"`
	Roles  []string  `json:"roles"` // operator, approver, the roles they signed off in, …
	Events int       `json:"events"`
	First  time.Time `json:"first"`
	Last   time.Time `json:"last"`
}

// Phase is one phase's outcome, with its expected against actual duration.
type Phase struct {
	ID             string     `json:"id"`
	Title          string     `json:"title"`
	Risk           string     `json:"risk"`
	Status         string     `json:"status"`
	Verdict        string     `json:"verdict"`  // Status in words: "passed with 1 warning" when that is the truth
	Expected       string     `json:"expected"` // as written, e.g. "1-2w"
	ExpectedMaxSec float64    `json:"expected_max_seconds"`
	Started        *time.Time `json:"started"`
	Ended          *time.Time `json:"ended"`
	Actual         string     `json:"actual"` // "" when it never started
	ActualSec      float64    `json:"actual_seconds"`
	Finished       bool       `json:"finished"` // it passed; otherwise Actual runs to its last event
	OverExpected   bool       `json:"over_expected"`
	RollbackPoint  string     `json:"rollback_point,omitempty"`
	Items          []Item     `json:"items"`
}

// Item is one checklist item's outcome at the end of the session.
type Item struct {
	ID          string  `json:"id"`
	Title       string  `json:"title"`
	Kind        string  `json:"kind"`
	Critical    bool    `json:"critical"`
	Status      string  `json:"status"`
	Attempts    int     `json:"attempts"`
	Duration    string  `json:"duration"`
	DurationSec float64 `json:"duration_seconds"`
	Summary     string  `json:"summary,omitempty"`
	SkipReason  string  `json:"skip_reason,omitempty"`
}

// Failure is one failed attempt of an item or a rollback step.
type Failure struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Phase      string    `json:"phase"`
	Item       string    `json:"item"`
	Title      string    `json:"title"`
	Attempt    int       `json:"attempt"`
	Critical   bool      `json:"critical"`
	Rollback   bool      `json:"rollback_step"`
	Summary    string    `json:"summary"`
	Output     string    `json:"output"`
	Resolution string    `json:"resolution"` // what happened next: passed on retry, overridden, …
}

// Override is a request to count a failed critical item as passed, and what became of it.
type Override struct {
	Seq         int64     `json:"seq"`
	At          time.Time `json:"at"`
	Phase       string    `json:"phase"`
	Item        string    `json:"item"`
	Title       string    `json:"title"`
	Reason      string    `json:"reason"`
	Policy      string    `json:"policy"`
	RequestedBy string    `json:"requested_by"`
	ApprovedBy  string    `json:"approved_by"`
	RejectedBy  string    `json:"rejected_by,omitempty"`
	Outcome     string    `json:"outcome"` // overridden, rejected, waiting for approval
}

// SignOff is a person's verdict on a manual item.
type SignOff struct {
	Seq         int64     `json:"seq"`
	At          time.Time `json:"at"`
	Phase       string    `json:"phase"`
	Item        string    `json:"item"`
	Title       string    `json:"title"`
	Operator    string    `json:"operator"`
	Role        string    `json:"role"`
	Verdict     string    `json:"verdict"`  // pass or fail
	Expected    string    `json:"expected"` // what the runbook said the signer must see
	Observation string    `json:"observation"`
}

// RollbackPoint is a point the session could roll back to.
type RollbackPoint struct {
	Seq      int64     `json:"seq"`
	At       time.Time `json:"at"`
	Name     string    `json:"name"`
	Phase    string    `json:"phase"`
	Actor    string    `json:"actor"`
	Checksum string    `json:"checksum"`
	Valid    bool      `json:"valid"` // false once a rollback to an earlier point discarded it
}

// Rollback is one rollback to a point, with its steps.
type Rollback struct {
	Seq      int64          `json:"seq"`
	Point    string         `json:"point"`
	Actor    string         `json:"actor"`
	Started  time.Time      `json:"started"`
	Finished *time.Time     `json:"finished"`
	OK       bool           `json:"ok"`
	Reason   string         `json:"reason,omitempty"`
	Steps    []RollbackStep `json:"steps"`
}

// RollbackStep is one step of a rollback as it ran.
type RollbackStep struct {
	Phase   string `json:"phase"`
	Item    string `json:"item"`
	Title   string `json:"title"`
	Status  string `json:"status"` // passed, failed, running (never finished), pending (never started)
	Summary string `json:"summary,omitempty"`
	Output  string `json:"output,omitempty"`
}

// Engine is one run of a data engine (copy, verify, catch-up, compare).
type Engine struct {
	Seq         int64         `json:"seq"`
	At          time.Time     `json:"at"`
	Phase       string        `json:"phase"`
	Item        string        `json:"item"`
	Title       string        `json:"title"`
	Kind        string        `json:"kind"`
	Attempt     int           `json:"attempt"`
	Verdict     string        `json:"verdict"` // passed, failed, unfinished
	Summary     string        `json:"summary"`
	Tables      []EngineTable `json:"tables"`
	MatchRate   *float64      `json:"match_rate"`
	DiffCount   int64         `json:"diff_count"`
	Repaired    int64         `json:"repaired"`
	Sampled     string        `json:"sampled,omitempty"`
	Differences []Difference  `json:"differences"`
	Checkpoints int           `json:"checkpoints"`
	// Plan is what a copy planned before its first write (engine.plan):
	// the tables it created with their statements, the column types that
	// changed, the tables that existed and fit.
	Plan *event.PlanPayload `json:"plan,omitempty"`
}

// EngineTable is one table's figures.
type EngineTable struct {
	Table      string  `json:"table"`
	Rows       int64   `json:"rows"`
	Total      int64   `json:"total,omitempty"` // rows expected, from the last progress sample of an unfinished run
	Seconds    float64 `json:"seconds"`
	RowsPerSec float64 `json:"rows_per_sec"`
	Missing    int64   `json:"missing"`
	Extra      int64   `json:"extra"`
	Different  int64   `json:"different"`
}

// Difference is one differing row found by verify or compare.
type Difference struct {
	Table   string   `json:"table"`
	Key     []string `json:"key"`
	Type    string   `json:"type"`
	Columns []string `json:"columns"`
}

// Note is a free-text note.
type Note struct {
	Seq   int64     `json:"seq"`
	At    time.Time `json:"at"`
	Actor string    `json:"actor"`
	Text  string    `json:"text"`
}

// Incident is an emergency procedure opened during the session.
type Incident struct {
	Seq       int64     `json:"seq"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`
	Procedure string    `json:"procedure"`
	Title     string    `json:"title"`
	Steps     []string  `json:"steps"`      // the procedure's steps from the runbook
	StepsDone []int     `json:"steps_done"` // 1-based
	Closed    bool      `json:"closed"`
}

// Refusal is an action the session refused.
type Refusal struct {
	Seq    int64     `json:"seq"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Reason string    `json:"reason"`
}

// Notification is how one notification channel fared over the session.
type Notification struct {
	Channel     string    `json:"channel"`
	Sent        int       `json:"sent"`
	Failed      int       `json:"failed_attempts"`
	Dropped     int       `json:"dropped"`
	LastOK      bool      `json:"last_ok"`
	LastSummary string    `json:"last_summary"`
	Last        time.Time `json:"last"`
}

// Entry is one line of the timeline. A run of engine telemetry (progress
// samples and checkpoints of one item) is folded into one entry that counts
// them and runs from At to Until.
type Entry struct {
	Seq     int64          `json:"seq"`
	LastSeq int64          `json:"last_seq,omitempty"`
	At      time.Time      `json:"at"`
	Until   *time.Time     `json:"until,omitempty"`
	Actor   string         `json:"actor"`
	Kind    string         `json:"kind"`
	Phase   string         `json:"phase,omitempty"`
	Item    string         `json:"item,omitempty"`
	Text    string         `json:"text"`
	Tone    string         `json:"tone"` // ok, fail, warn, override, signoff, rollback, info
	Folded  map[string]int `json:"folded,omitempty"`
}
