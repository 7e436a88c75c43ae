package session

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"

	"runway/checks"
)

// A guard's command runs every few seconds, so its process groups are not
// written to the audit log as a command item's are: they are kept in the
// small file <audit log>.<session id>.guards while they run (one line
// "PGID HOST GUARD" each), and the file is gone when none runs. A runway
// killed with kill -9 mid-sample leaves the file behind; the shell dies
// with runway (pdeathsig), but what it started may live on in its group,
// and resume names it instead of starting the guard beside it.

// guardProcsFile is the file of session id in the log at auditPath.
func guardProcsFile(auditPath, id string) string { return auditPath + "." + id + ".guards" }

// guardProcs is the record of the guard commands running now.
type guardProcs struct {
	mu   sync.Mutex
	path string
	host string
	live map[int]string // pgid → guard id
}

// newGuardProcs starts a fresh record for a session that holds its claim:
// a file left by an earlier run was checked by the resume (leftGuard).
func newGuardProcs(path, host string) *guardProcs {
	os.Remove(path)
	return &guardProcs{path: path, host: host, live: map[int]string{}}
}

// started records that guard's command runs as process group pgid.
func (g *guardProcs) started(guard string, pgid int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.live[pgid] = guard
	g.write()
}

// ended forgets process group pgid once its sample is over.
func (g *guardProcs) ended(pgid int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.live[pgid]; !ok {
		return
	}
	delete(g.live, pgid)
	g.write()
}

// write replaces the file with the live groups, or removes it when none
// runs. Best effort: a record that cannot be written costs only the resume
// check, never the guard.
func (g *guardProcs) write() {
	if len(g.live) == 0 {
		os.Remove(g.path)
		return
	}
	var lines []string
	for pgid, guard := range g.live {
		lines = append(lines, fmt.Sprintf("%d %s %s\n", pgid, g.host, guard))
	}
	sort.Strings(lines)
	tmp := g.path + ".tmp"
	if os.WriteFile(tmp, []byte(strings.Join(lines, "")), 0o600) == nil {
		os.Rename(tmp, g.path) // atomic: a reader sees the old list or the new
	}
}

// leftGuard finds a guard command of the interrupted run, started on this
// host, whose process group still lives.
func leftGuard(path string, hosts ...string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil // none was running
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || !sameHost(f[1], hosts) {
			continue
		}
		pgid, err := strconv.Atoi(f[0])
		if err != nil || pgid <= 0 {
			continue
		}
		if m, alive := checks.GroupMember(pgid); alive {
			return &LeftRunningError{Guard: f[2], PGID: pgid, Member: m}
		}
	}
	return nil
}
