package replay

import (
	"runway/runbook/audit"
	"runway/runbook/event"
)

// MarkKind is what makes an event worth jumping to.
type MarkKind int

// Mark kinds. MarkAny is a filter that takes every kind.
const (
	MarkAny MarkKind = iota
	MarkFailure
	MarkOverride
	MarkRollback
	MarkNote
)

// Mark is a notable event: its index and its kind.
type Mark struct {
	Index int
	Kind  MarkKind
}

// markOf classifies an event.
func markOf(e audit.Event) (MarkKind, bool) {
	switch e.Kind {
	case event.KindItemFailed, event.KindRollbackStepFailed:
		return MarkFailure, true
	case event.KindOverrideRequested, event.KindOverrideApproved, event.KindOverrideRejected, event.KindItemOverridden:
		return MarkOverride, true
	case event.KindRollbackStarted, event.KindRollbackFinished:
		return MarkRollback, true
	case event.KindNote:
		return MarkNote, true
	case event.KindGuardState: // a guard's critical breach is a failure to jump to
		return MarkFailure, event.Decode[event.GuardPayload](e.Payload).State == event.GuardCritical
	}
	return 0, false
}

// String names the kind: the filter's name in the footer and the timeline.
func (k MarkKind) String() string {
	switch k {
	case MarkFailure:
		return "failure"
	case MarkOverride:
		return "override"
	case MarkRollback:
		return "rollback"
	case MarkNote:
		return "note"
	}
	return "mark"
}

// Icon marks the kind without colour.
func (k MarkKind) Icon() string {
	switch k {
	case MarkFailure:
		return "✗"
	case MarkOverride:
		return "⚑"
	case MarkRollback:
		return "↺"
	case MarkNote:
		return "✎"
	}
	return "•"
}

// next is the cursor just after the first mark of kind (MarkAny: any) after
// the event at cursor c, or -1. Cursor c shows events[:c]: the event at the
// cursor is events[c-1].
func (t *Timeline) nextMark(c int, kind MarkKind) int {
	for _, m := range t.marks {
		if m.Index >= c && (kind == MarkAny || m.Kind == kind) {
			return m.Index + 1
		}
	}
	return -1
}

// prevMark is the cursor just after the last mark of kind before the event
// at cursor c, or -1.
func (t *Timeline) prevMark(c int, kind MarkKind) int {
	for i := len(t.marks) - 1; i >= 0; i-- {
		m := t.marks[i]
		if m.Index < c-1 && (kind == MarkAny || m.Kind == kind) {
			return m.Index + 1
		}
	}
	return -1
}

// markAt is the mark of the event at cursor c, if it is one.
func (t *Timeline) markAt(c int) (MarkKind, bool) {
	if c <= 0 || c > len(t.events) {
		return 0, false
	}
	return markOf(t.events[c-1])
}
