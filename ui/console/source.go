package console

import (
	"context"

	"runway/engine"
	"runway/runbook"
	"runway/runbook/fold"
	"runway/runbook/session"
)

// Source is what the views need from a session: its runbook, the folded state
// and the live engine figures. A live session, a watcher folding a log as it
// grows and a replay are all Sources, so they share every view.
type Source interface {
	// Runbook is the runbook the session runs.
	Runbook() *runbook.Runbook
	// State is a copy of the fold of every durable event so far.
	State() fold.State
	// Subscribe wakes the receiver after each durable event (latest wins);
	// the func unsubscribes.
	Subscribe() (<-chan struct{}, func())
	// Live is the latest progress of each running engine by item id. It is
	// sampled on a tick; the engines never wait for it.
	Live() map[string][]engine.Progress
	// Done is closed when the session ends; Err then says why, nil when it
	// ended normally.
	Done() <-chan struct{}
	Err() error
}

// Driver is a Source that takes actions: the live session of the lead. A
// Source that is not a Driver is shown in observer mode.
type Driver interface {
	Source
	// Do records and performs an action; a refusal is an error whose text is
	// a one-line reason.
	Do(a session.Action) error
	// Close stops running engines at a checkpoint so that resume continues them.
	Close(ctx context.Context) error
}
