package session

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"runway/runbook/audit"
	"runway/runbook/flock"
)

// claim is this process's hold on a session: an exclusive lock on the file
// <audit log>.<session id>.lock, taken before anything is appended for the
// session and held until the session is closed. The operating system drops
// the lock when the process ends, however it ends, so a session is never
// left claimed by the dead and never driven by two processes at once: the
// lock is the one atomic step between "is someone driving?" and "I drive".
//
// One file per session (not one file with byte ranges) because flock locks
// whole files, is tied to the open file and not to the process (so two
// claims within one process exclude each other too), and a file named
// after the session says what it guards to whoever lists the folder. The
// file holds "PID HOST" of its holder, for the refusal's message, and is
// removed when the session is closed.
type claim struct {
	path string
	f    *os.File
}

// claimFile is the lock file of session id in the log at auditPath.
func claimFile(auditPath, id string) string { return auditPath + "." + id + ".lock" }

// claimSession takes the session's lock, or returns a *DrivenError naming
// the process that holds it.
func claimSession(log *audit.Log, id, host string) (*claim, error) {
	path := claimFile(log.Path(), id)
	for {
		f, err := openLock(path, log.Path())
		if err != nil {
			return nil, fmt.Errorf("claim session %s: %w", id, err)
		}
		held, err := flock.TryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("claim session %s: lock %s: %w", id, path, err)
		}
		if !held {
			d := holder(f, id)
			f.Close()
			return nil, d
		}
		// The holder before us may have removed the file between our open
		// and our lock: a lock on a removed file guards nothing.
		if same, _ := flock.StillAt(f, path); !same {
			f.Close()
			continue
		}
		c := &claim{path: path, f: f}
		if err := c.stamp(host); err != nil {
			c.release()
			return nil, fmt.Errorf("claim session %s: %w", id, err)
		}
		return c, nil
	}
}

// foreignLock refuses a lock file runway did not make.
func foreignLock(path, what string) error {
	return fmt.Errorf("lock file %s is %s, not one runway made; see what it is, remove it, and try again", path, what)
}

// claimNewSession picks an unused session id and takes its lock, before
// the session is created.
func claimNewSession(ctx context.Context, log *audit.Log, host string, started time.Time) (string, *claim, error) {
	for range 20 {
		id := newSessionID(started)
		switch _, err := log.Session(ctx, id); {
		case err == nil:
			continue // taken
		case !errors.Is(err, audit.ErrNoSession):
			return "", nil, fmt.Errorf("start session: %w", err)
		}
		c, err := claimSession(log, id, host)
		var d *DrivenError
		if errors.As(err, &d) {
			continue
		}
		return id, c, err
	}
	return "", nil, fmt.Errorf("start session: no free session id for %s", started.UTC().Format("2006-01-02 15:04"))
}

// newSessionID is the start minute in UTC and four random hex digits, as
// the audit log makes them.
func newSessionID(started time.Time) string {
	var b [2]byte
	rand.Read(b[:])
	return started.UTC().Format("20060102-1504") + "-" + hex.EncodeToString(b[:])
}

// stamp writes "PID HOST" into the lock file for a refused contender to read.
func (c *claim) stamp(host string) error {
	return flock.Stamp(c.f, strconv.Itoa(os.Getpid())+" "+host+"\n")
}

// release removes the lock file and drops the lock, in that order, so that
// no one locks a file that is about to disappear. Safe on a nil claim.
func (c *claim) release() {
	if c == nil || c.f == nil {
		return
	}
	os.Remove(c.path)
	c.f.Close()
	c.f = nil
}

// holder reads who holds the lock. The holder writes its stamp right after
// locking: a contender that comes in between waits a moment for it.
func holder(f *os.File, id string) *DrivenError {
	d := &DrivenError{ID: id}
	for try := 0; try < 50; try++ {
		if pid, host, ok := strings.Cut(flock.ReadStamp(f), " "); ok {
			d.PID, _ = strconv.Atoi(pid)
			d.Host = host
			return d
		}
		time.Sleep(10 * time.Millisecond)
	}
	return d
}
