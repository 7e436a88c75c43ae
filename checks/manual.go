package checks

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"runway/runbook"
	"runway/runbook/text"
)

// Verdict is what a signer decides on a manual item.
type Verdict string

// Verdicts of a sign-off.
const (
	Pass Verdict = "pass"
	Fail Verdict = "fail"
	Skip Verdict = "skip" // non-critical items only, with a reason
)

// SignOff is a person's verdict on a manual item: who, in which role, when,
// and what they observed.
type SignOff struct {
	Operator    string
	Role        string // the role the signer states
	Verdict     Verdict
	Observation string // what they saw (required when the item says observe)
	Reason      string // why the item is skipped
	At          time.Time
}

// RequiredRole is the role that must sign an item: the manual kind's own
// role, else the item's; "" when anyone may sign.
func RequiredRole(item runbook.Item) string {
	if item.Manual != nil && strings.TrimSpace(item.Manual.Role) != "" {
		return strings.TrimSpace(item.Manual.Role)
	}
	return strings.TrimSpace(item.Role)
}

// ValidateSignOff checks a sign-off against the item's rules: it needs an
// operator, a time and a known verdict; pass and fail need the observation
// when the item asks for one, and the signer must state the role the item
// names; skip is only for non-critical items and needs a reason. The error
// says in one line what is missing, for the operator to fix.
func ValidateSignOff(item runbook.Item, s SignOff) error {
	if item.Manual == nil {
		return fmt.Errorf("item %s is not a manual sign-off", item.ID)
	}
	var errs []string
	if strings.TrimSpace(s.Operator) == "" {
		errs = append(errs, "the operator is missing")
	}
	if s.At.IsZero() {
		errs = append(errs, "the time is missing")
	}
	switch s.Verdict {
	case Pass, Fail:
		if item.Manual.Observe && strings.TrimSpace(s.Observation) == "" {
			errs = append(errs, "an observation is required")
		}
		if role := RequiredRole(item); role != "" {
			switch stated := strings.TrimSpace(s.Role); {
			case stated == "":
				errs = append(errs, fmt.Sprintf("the signer must state the role %s", role))
			case !strings.EqualFold(stated, role):
				errs = append(errs, fmt.Sprintf("role %s must sign, not %s", role, stated))
			}
		}
	case Skip:
		if item.Critical {
			errs = append(errs, "a critical item cannot be skipped, only overridden after it fails")
		}
		if strings.TrimSpace(s.Reason) == "" {
			errs = append(errs, "a skip needs a reason")
		}
	default:
		errs = append(errs, fmt.Sprintf("verdict %q is not pass, fail or skip", s.Verdict))
	}
	if len(errs) > 0 {
		return fmt.Errorf("sign-off of %s: %w", item.ID, errors.New(strings.Join(errs, "; ")))
	}
	return nil
}

// Summary is the sign-off as one line for the log and the console:
// "pass by alice (dba): restore test passed on host b".
func (s SignOff) Summary() string {
	who := s.Operator
	if s.Role != "" {
		who += " (" + s.Role + ")"
	}
	line := fmt.Sprintf("%s by %s", s.Verdict, who)
	switch {
	case s.Verdict == Skip && s.Reason != "":
		line += ": " + s.Reason
	case s.Observation != "":
		line += ": " + s.Observation
	}
	return text.OneLine(line)
}
