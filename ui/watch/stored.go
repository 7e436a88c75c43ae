package watch

import (
	"fmt"
	"strings"

	"runway/runbook"
	"runway/runbook/audit"

	"runway/ui/inert"
)

// placeholders are tried in turn for every ${VAR} when the stored runbook
// text is read again. Some fields check their value (a MySQL DSN must
// parse), so a DSN-shaped placeholder follows the plain ones.
var placeholders = []string{"", "placeholder", "placeholder:placeholder@tcp(placeholder:3306)/placeholder"}

// StoredRunbook parses the runbook text stored with a session. Variables get
// placeholders, never the environment's values: watch and replay only show
// the runbook, they never connect to anything.
func StoredRunbook(info audit.SessionInfo) (*runbook.Runbook, error) {
	if len(info.RunbookText) == 0 {
		return nil, fmt.Errorf("session %s: no runbook text is stored with it", info.ID)
	}
	var first error
	for _, p := range placeholders {
		env := func(string) (string, bool) { return p, true }
		rb, err := runbook.Parse(info.RunbookPath, info.RunbookText, env)
		if err == nil {
			return rb, nil
		}
		if first == nil {
			first = err
		}
	}
	return nil, fmt.Errorf("session %s: its stored runbook does not parse: %s", info.ID, oneLine(first.Error()))
}

// Pick finds the session to show: id when given, else the newest session
// whose status is "running" (running is true), or the newest of all when
// running is false. latest says the choice was made for the caller.
func Pick(l *audit.Log, id string, running bool) (info audit.SessionInfo, latest bool, err error) {
	if id != "" {
		info, err = l.Session(id)
		return info, false, err
	}
	if !running {
		info, err = l.LatestSession()
		return info, true, err
	}
	all, err := l.Sessions()
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

// oneLine flattens an error's text to one inert line.
func oneLine(s string) string { return inert.Line(strings.Join(strings.Fields(s), " ")) }
