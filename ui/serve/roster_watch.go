package serve

import (
	"os"
	"sync"
	"time"
)

// rosterWatch keeps the roster in step with its file, read again when the
// file changes (looked at on each login): a key can be added or revoked
// during a change window without stopping the server. A file that no longer
// reads keeps the last good roster, and the server log says why once.
// Connections already open keep the participant they logged in as.
type rosterWatch struct {
	path string // "" when the roster has no file to follow

	mu   sync.Mutex
	cur  *Roster
	mod  time.Time
	size int64
	bad  string // the last problem reported
}

func newRosterWatch(r *Roster, path string) *rosterWatch {
	w := &rosterWatch{path: path, cur: r}
	if fi, err := os.Stat(path); path != "" && err == nil {
		w.mod, w.size = fi.ModTime(), fi.Size()
	}
	return w
}

// roster is the current roster, read again first if the file changed.
func (w *rosterWatch) roster(logf func(string, ...any)) *Roster {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.path == "" {
		return w.cur
	}
	fi, err := os.Stat(w.path)
	if err == nil && fi.ModTime().Equal(w.mod) && fi.Size() == w.size {
		return w.cur
	}
	var r *Roster
	if err == nil {
		r, err = LoadRoster(w.path)
	}
	if err != nil {
		if msg := err.Error(); msg != w.bad {
			logf("roster %s not reloaded, the last good one stays: %v", w.path, err)
			w.bad = msg
		}
		return w.cur
	}
	w.cur, w.mod, w.size, w.bad = r, fi.ModTime(), fi.Size(), ""
	logf("roster %s reloaded: %d participants", w.path, len(r.entries))
	return r
}
