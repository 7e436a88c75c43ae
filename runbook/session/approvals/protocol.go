package approvals

import (
	"strings"
	"unicode"
)

// Ops a client may ask for.
const (
	OpApprove = "approve"
	OpReject  = "reject"
)

// Outcomes, as `runway approve` exits with them.
const (
	Done     = 0 // recorded
	Refused  = 1 // the requester's own approval, or a caller who may not reach the driver
	NoneHere = 2 // no override waits, or no live driver
	LogError = 3 // the audit log could not be written
)

// request is one line of JSON from the client.
type request struct {
	Op      string `json:"op"`
	Session string `json:"session"`        // the session the client means; the driver refuses another
	Item    string `json:"item,omitempty"` // "" = whichever override waits
}

// Reply is the driver's answer: an outcome and one line for the approver.
type Reply struct {
	Code int    `json:"code"`
	Line string `json:"line"`
}

// inert makes text from elsewhere (a reason, a name) safe to print: control
// characters become spaces and runs of space one.
func inert(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
