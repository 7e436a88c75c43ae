package serve

import (
	"context"

	"runway/runbook/session"
)

// seat is the shared session as one participant's console sees it: every
// action goes through DoAs, so the core checks the participant's role and
// control and records the participant as its actor.
type seat struct {
	*session.Session
	who session.Participant
}

// Do acts as the participant.
func (s seat) Do(a session.Action) error { return s.Session.DoAs(s.who, a) }

// Close is the console leaving: it ends this connection's program only.
// The session goes on for everyone else; `runway serve` closes it when it
// stops.
func (s seat) Close(context.Context) error { return nil }
