package session

import (
	"log/slog"

	"runway/runbook/dlog"
)

// debug is the debug log the caller of Start or Resume put in its context
// (runway/runbook/dlog), or one that discards. It gets ids, kinds, counts
// and timings: never a summary, an output or a value a runbook variable
// holds.
func (s *Session) debug() *slog.Logger { return dlog.From(s.base) }
