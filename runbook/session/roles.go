package session

import (
	"errors"
	"fmt"

	"runway/runbook/fold"
)

// Role is what a pairing participant may do in a session.
type Role string

// Roles, from the most to the least trusted.
const (
	// RoleLead may do everything, hands control to others and can always
	// take it back.
	RoleLead Role = "lead"
	// RoleDriver acts on the session while in control.
	RoleDriver Role = "driver"
	// RoleApprover approves or rejects two-person overrides and adds notes.
	RoleApprover Role = "approver"
	// RoleObserver watches: every attempt to act is refused and recorded.
	RoleObserver Role = "observer"
)

// Roles lists every role, in the order of Role's constants.
var Roles = []Role{RoleLead, RoleDriver, RoleApprover, RoleObserver}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// CanDrive reports whether the role may hold control.
func (r Role) CanDrive() bool { return r == RoleLead || r == RoleDriver }

// Participant is someone attached to a session (over SSH: the owner of a
// key in the roster): the name every event they cause carries, and a role.
type Participant struct {
	Name string
	Role Role
}

func (p Participant) String() string { return p.Name + " (" + string(p.Role) + ")" }

// a is the role with its article, for reasons: "a driver", "an approver".
func (r Role) a() string {
	if r == RoleApprover || r == RoleObserver {
		return "an " + string(r)
	}
	return "a " + string(r)
}

// HandControl hands control to another participant who may drive. The lead
// may hand it at any time; a driver only while holding it.
type HandControl struct {
	Actor string
	To    Participant
}

// TakeControl takes control back: only a lead may, at any time.
type TakeControl struct {
	Actor string
}

func (a HandControl) ActionName() string { return "hand over control" }
func (a TakeControl) ActionName() string { return "take control" }
func (a HandControl) actor() string      { return a.Actor }
func (a TakeControl) actor() string      { return a.Actor }

// controller is who holds control: State.Controller, or the session's
// operator while nobody was handed it.
func (s *Session) controller(st *fold.State) string { return controlHolder(st, s.opts.Operator) }

// controlHolder is who holds control in st, operator while nobody was handed it.
func controlHolder(st *fold.State, operator string) string {
	if st.Controller != "" {
		return st.Controller
	}
	return operator
}

// Allowed says whether participant p may take action a in state st, where
// operator (the session's) holds control while nobody was handed it: nil,
// or an error whose text is the one-line reason. It is the role and control
// rule that DoAs enforces, as a pure function, so that a console can offer
// exactly the keys the core will accept. The action's own checks (stop
// rules, item states, policy) come after it and are not part of it.
func Allowed(st fold.State, operator string, p Participant, a Action) error {
	if why := roleReason(&st, operator, p, a); why != "" {
		return errors.New(why)
	}
	return nil
}

// roleReason says why p may not take action a now, or "". Control is held
// by one participant at a time: the actions that change the work (run,
// sign off, skip, retry, override, roll back, engines, incidents) need it,
// even for a lead, who takes it back first. Approvals need the approver or
// lead role but not control, so an approver confirms from their own
// connection; notes need any role but observer.
func roleReason(st *fold.State, operator string, p Participant, a Action) string {
	if p.Role == RoleObserver {
		return fmt.Sprintf("%s is an observer and cannot act", p.Name)
	}
	if !p.Role.Valid() {
		return fmt.Sprintf("%s has no known role (%q)", p.Name, p.Role)
	}
	holder := controlHolder(st, operator)
	switch a := a.(type) {
	case Note:
		return ""
	case ApproveOverride, RejectOverride:
		if p.Role != RoleLead && p.Role != RoleApprover {
			return fmt.Sprintf("%s is %s: only an approver or a lead decides on an override", p.Name, p.Role.a())
		}
		return ""
	case TakeControl:
		switch {
		case p.Role != RoleLead:
			return fmt.Sprintf("%s is %s: only a lead takes control; ask %s to hand it over", p.Name, p.Role.a(), holder)
		case holder == p.Name:
			return fmt.Sprintf("%s already has control", p.Name)
		}
		return ""
	case HandControl:
		switch {
		case p.Role != RoleLead && holder != p.Name:
			return fmt.Sprintf("%s has control: only they or a lead can hand it over", holder)
		case a.To.Name == "":
			return "hand control to whom? no participant named"
		case !a.To.Role.CanDrive():
			return fmt.Sprintf("%s is %s: control goes only to a lead or a driver", a.To.Name, a.To.Role.a())
		case a.To.Name == holder:
			return fmt.Sprintf("%s already has control", a.To.Name)
		}
		return ""
	}
	switch {
	case p.Role == RoleApprover:
		return fmt.Sprintf("%s is an approver: approvers only approve or reject overrides and add notes", p.Name)
	case holder != p.Name && p.Role == RoleLead:
		return fmt.Sprintf("%s has control: take it back first", holder)
	case holder != p.Name:
		return fmt.Sprintf("%s has control: ask them or a lead to hand it to %s", holder, p.Name)
	}
	return ""
}
