package watch

import (
	"context"
	"errors"
	"fmt"

	"runway/runbook"
	"runway/runbook/audit"

	"runway/ui/inert"
)

// StoredRunbook parses the runbook text stored with a session
// (runbook.ParseStored: placeholders for variables, never the
// environment's values), naming the session in its error.
func StoredRunbook(info audit.SessionInfo) (*runbook.Runbook, error) {
	rb, err := runbook.ParseStored(info.RunbookPath, info.RunbookText)
	switch {
	case errors.Is(err, runbook.ErrNoStoredText):
		return nil, fmt.Errorf("session %s: %w", info.ID, err)
	case err != nil:
		return nil, fmt.Errorf("session %s: its stored runbook does not parse: %s", info.ID, inert.OneLine(err.Error()))
	}
	return rb, nil
}

// Pick finds the session to show: id when given, else the newest session
// whose status is "running" (running is true), or the newest of all when
// running is false. latest says the choice was made for the caller.
func Pick(ctx context.Context, l *audit.Log, id string, running bool) (info audit.SessionInfo, latest bool, err error) {
	if id != "" {
		info, err = l.Session(ctx, id)
		return info, false, err
	}
	if !running {
		info, err = l.LatestSession(ctx)
		return info, true, err
	}
	all, err := l.Sessions(ctx)
	if err != nil {
		return audit.SessionInfo{}, false, err
	}
	for _, s := range all {
		if s.Status == "running" {
			return s, true, nil
		}
	}
	if len(all) == 0 {
		return audit.SessionInfo{}, false, fmt.Errorf("audit log %s holds no sessions: %w", l.Path(), audit.ErrNoSession)
	}
	return audit.SessionInfo{}, false, fmt.Errorf("audit log %s has no running session; the latest, %s, is %s (give its id to watch it anyway, or replay it)",
		l.Path(), all[0].ID, all[0].Status)
}
