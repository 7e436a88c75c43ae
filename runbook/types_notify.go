package runbook

// Notify is a runbook's notification setup: named channels, and the routes
// that send chosen events to them.
type Notify struct {
	Channels []Channel // in file order
	Routes   []Route
}

// Channel types.
const (
	ChannelWebhook      = "webhook"
	ChannelCommand      = "command"
	ChannelAlertmanager = "alertmanager"
)

// Channel is one named way to reach the team.
type Channel struct {
	Name    string
	Type    string   // webhook, command or alertmanager
	URL     string   // webhook, alertmanager: expanded; a secret when it came from a variable
	Format  string   // webhook: "" (the event as JSON) or "slack" ({"text": …})
	Headers []Header // webhook, alertmanager: sent with every request
	Run     string   // command: shell text, the event as JSON on its stdin
	Env     []string // command: NAME=value for the variables Run references (secrets)
}

// Header is one HTTP header a channel sends; its value may hold secrets.
type Header struct {
	Name, Value string
}

// Notification events a route may pick.
const (
	NoticeStop              = "stop"
	NoticeCriticalFailure   = "critical_failure"
	NoticeOverrideRequested = "override_requested"
	NoticePhasePassed       = "phase_passed"
	NoticePhaseFailed       = "phase_failed"
	NoticeRollback          = "rollback"
	NoticeSessionClosed     = "session_closed"
	NoticeTest              = "test"  // a notify item's message
	NoticeDrift             = "drift" // a phase overran its expected time, or the forecast passes the window's end
)

// Severities of notifications, in increasing order.
const (
	SeverityInfo     = "info"
	SeverityWarning  = "warning"
	SeverityCritical = "critical"
)

// NoticeSeverity is the severity each notification event is sent with.
func NoticeSeverity(kind string) string {
	switch kind {
	case NoticeStop, NoticeCriticalFailure:
		return SeverityCritical
	case NoticeOverrideRequested, NoticePhaseFailed, NoticeRollback, NoticeGuardBreach, NoticeDrift:
		return SeverityWarning // a critical guard breach is sent as critical
	}
	return SeverityInfo
}

// SeverityRank orders severities (0 for an unknown one).
func SeverityRank(s string) int {
	switch s {
	case SeverityInfo:
		return 1
	case SeverityWarning:
		return 2
	case SeverityCritical:
		return 3
	}
	return 0
}

// Route sends the events it picks to channels.
type Route struct {
	Events   []string // notification events; empty = every event
	Severity string   // the least severity sent ("" = any)
	Channels []string
	After    Duration // escalation: a stop or an approval request unanswered this long…
	Escalate []string // …goes to these channels too
	Pos      Position
}

// Picks reports whether the route sends an event of this kind.
func (r Route) Picks(kind string) bool {
	if len(r.Events) > 0 && !contains(r.Events, kind) {
		return false
	}
	return SeverityRank(NoticeSeverity(kind)) >= SeverityRank(r.Severity)
}

// NotifyItem sends a test message on a channel; it passes once delivered.
type NotifyItem struct {
	Channel string
	Message string
	Target  *Channel // the channel named, resolved when the runbook is read
}
