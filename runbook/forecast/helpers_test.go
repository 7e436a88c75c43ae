package forecast

import (
	"time"

	"runway/runbook/event"
)

func progress(table string, eta time.Duration) event.ProgressPayload {
	return event.ProgressPayload{Table: table, Done: 1, Total: 2, ETAms: eta.Milliseconds()}
}
