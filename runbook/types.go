// Package runbook holds the runbook format: its types, YAML loading with
// file:line:col errors, validation, and ${VAR} expansion with redaction.
package runbook

// Runbook is a validated runbook, ready to run.
type Runbook struct {
	Version     int
	Name        string
	Title       string
	Owner       string
	Connections []Connection // in file order
	Risks       []Risk
	Procedures  []Procedure // in file order
	Phases      []Phase
	Notify      *Notify // nil: no notifications
	Guards      []Guard // active the whole session (types_guard.go)
	Plan        Plan    // window and drift tolerance (types_window.go)

	Path    string    // the file it was loaded from ("" when loaded from bytes)
	Dir     string    // the folder commands run in and relative SQLite paths resolve from
	Text    []byte    // the file's text, exactly as read (it holds ${VAR} references, not their values)
	Secrets *Redactor // every value that came from an environment variable
	Vars    []Var     // every variable the text references, sorted by name
}

// Connection is a named database the items refer to.
type Connection struct {
	Name   string
	Driver string // "mysql", "postgres" or "sqlite"
	DSN    string // expanded; a secret whenever it came from a variable
}

// Level is a low/medium/high rating.
type Level string

// Levels, in increasing order.
const (
	Low    Level = "low"
	Medium Level = "medium"
	High   Level = "high"
)

// Weight is 1, 2 or 3 for low, medium and high; 0 for anything else.
func (l Level) Weight() int {
	switch l {
	case Low:
		return 1
	case Medium:
		return 2
	case High:
		return 3
	}
	return 0
}

// Risk is one entry of the risk register.
type Risk struct {
	ID          string
	Name        string
	Description string
	Probability Level
	Impact      Level
	Mitigation  string
}

// Score is probability × impact (1 to 9).
func (r Risk) Score() int { return r.Probability.Weight() * r.Impact.Weight() }

// Level is the computed risk level: score ≥ 6 high, ≥ 3 medium, else low.
func (r Risk) Level() Level {
	switch s := r.Score(); {
	case s >= 6:
		return High
	case s >= 3:
		return Medium
	}
	return Low
}

// Procedure is an emergency procedure: steps to walk and when to escalate.
type Procedure struct {
	ID            string
	Title         string
	EscalateAfter Duration
	Steps         []string
}

// OverridePolicy decides whether a failed critical item may be overridden.
type OverridePolicy string

// Override policies; OverrideReason is the default.
const (
	OverrideForbidden OverridePolicy = "forbidden"
	OverrideReason    OverridePolicy = "reason"
	OverrideTwoPerson OverridePolicy = "two-person"
)

// Phase is one stage of the migration.
type Phase struct {
	ID            string
	Title         string
	Description   string
	Risk          Level
	Expected      Expected
	Overrides     OverridePolicy // defaults to OverrideReason
	Items         []Item
	Rollback      []Item  // steps run newest phase first when rolling back past this phase
	RollbackPoint string  // recorded when the phase passes; "" for none
	Guards        []Guard // active while the phase runs (types_guard.go)
}

// Item is one checklist item or rollback step. Exactly one kind field is set.
type Item struct {
	ID           string
	Title        string
	Critical     bool
	Role         string
	Instructions string
	Timeout      Duration // 0 = the kind's default
	Retries      int
	RetryDelay   Duration
	Expected     Expected // how long it should take; zero when not said
	Spec                  // the kind and its fields
	Pos          Position // where the item starts in the file
}

// Spec is the kind of an item: exactly one field is non-nil.
type Spec struct {
	Manual  *Manual
	Command *Command
	SQL     *SQL
	TCP     *TCP
	HTTP    *HTTP
	Wait    *Wait
	Compare *Compare
	Copy    *Copy
	Verify  *Verify
	Catchup *Catchup
	Notify  *NotifyItem
	Prom    *Prom
}

// Kind names the item's kind ("manual", "command", …), or "" if none is set.
func (s Spec) Kind() string {
	switch {
	case s.Manual != nil:
		return "manual"
	case s.Command != nil:
		return "command"
	case s.SQL != nil:
		return "sql"
	case s.TCP != nil:
		return "tcp"
	case s.HTTP != nil:
		return "http"
	case s.Wait != nil:
		return "wait"
	case s.Compare != nil:
		return "compare"
	case s.Copy != nil:
		return "copy"
	case s.Verify != nil:
		return "verify"
	case s.Catchup != nil:
		return "catchup"
	case s.Notify != nil:
		return "notify"
	case s.Prom != nil:
		return "prom"
	}
	return ""
}

// IsEngine reports whether the kind is a data engine (copy, verify, catchup, compare).
func (s Spec) IsEngine() bool {
	return s.Copy != nil || s.Verify != nil || s.Catchup != nil || s.Compare != nil
}

// Manual is a sign-off by a person in a role.
type Manual struct {
	Role    string // who must sign (falls back to the item's role)
	Expect  string // what the signer must see
	Observe bool   // an observation text is required
}

// Command runs shell text in the runbook's folder.
type Command struct {
	// Run is the shell text as written: its ${VAR} and ${VAR:-default}
	// references are left for the shell to expand from Env, so a value is
	// never parsed as shell syntax (quote it, "${VAR}", to keep it one word).
	Run          string
	Env          []string // NAME=value for each variable Run references; the values are secrets
	ExpectExit   int
	ExpectOutput string // regular expression matched against the output
}

// SQL runs a query and compares its first value, or executes a statement.
type SQL struct {
	Conn   string
	Query  string
	Expect string // "1", ">= 100", "!= 0", …
	Exec   string
}

// TCP checks that an address accepts connections.
type TCP struct {
	Address string // host:port
}

// HTTP checks a URL's status and, optionally, its body.
type HTTP struct {
	URL          string
	Method       string // default GET
	ExpectStatus int    // default 200
	ExpectBody   string // regular expression
}

// Wait repeats a check every interval for a soak period.
type Wait struct {
	Check           Spec // one kind inline (not manual, not wait)
	Every           Duration
	For             Duration
	MaxFailures     int     // failures tolerated (default 0)
	MaxFailureRatio float64 // alternatively, the share of failures tolerated
}

// Query is a query on a named connection.
type Query struct {
	Conn  string
	Query string
}

// Compare runs the same question on the old and the new side and matches rows by key.
type Compare struct {
	Old, New      Query
	Key           []string
	MinMatch      float64 // below it the item fails (default 1.0)
	CriticalBelow float64 // below it the failure is critical even on a non-critical item (0 = off)
}

// Copy copies tables from one connection to another.
type Copy struct {
	From, To string
	Tables   []string
	Where    string
	Rate     int // rows/s, 0 = unlimited
	Create   bool
	// AllowTargetTriggers writes to target tables that have triggers
	// (refused by default: they fire on every copied row).
	AllowTargetTriggers bool
}

// Verify compares tables on both sides and optionally repairs the target.
type Verify struct {
	From, To string
	Tables   []string
	Where    string
	Sample   float64 // share of chunks checked, 0 or 1 = all
	Repair   bool
	MinMatch float64 // default 1.0
	// AllowTargetTriggers lets a repair write to target tables that have triggers.
	AllowTargetTriggers bool
}

// Catchup replays a change log from the old side onto the new one.
type Catchup struct {
	From, To        string
	LogTable        string
	Tables          []string
	Until           string   // "converged" or "drained"
	MaxLag          Duration // converged when the oldest pending change is younger than this…
	ConvergeFor     Duration // …for this long (default 30s)
	InstallTriggers bool
	RemoveTriggers  bool // a step that removes the triggers installed before
	Rate            int
	// AllowTargetTriggers writes to target tables that have triggers.
	AllowTargetTriggers bool
}

// Position is a place in a runbook file (1-based).
type Position struct {
	Line, Column int
}
