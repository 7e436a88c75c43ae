package session

import (
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"runway/engine"
	"runway/runbook"
)

// connPool opens the runbook's named connections on first use and keeps
// them for the session; they are closed when the session ends. Errors never
// carry a DSN's secrets.
type connPool struct {
	rb      *runbook.Runbook
	mu      sync.Mutex
	m       map[string]*engine.DB
	written map[string]bool // connections the runbook writes to (copy, catchup, sql exec)
	log     *slog.Logger    // the debug log: which connection opened where, how fast
}

func newConnPool(rb *runbook.Runbook, log *slog.Logger) *connPool {
	return &connPool{rb: rb, m: map[string]*engine.DB{}, written: writtenConns(rb), log: log}
}

// writtenConns names the connections some item or rollback step writes to:
// only their SQLite files may be created, so a mistyped path of a database
// that is only read is an error, not a new empty file.
func writtenConns(rb *runbook.Runbook) map[string]bool {
	out := map[string]bool{}
	var mark func(s runbook.Spec)
	mark = func(s runbook.Spec) {
		switch {
		case s.Copy != nil:
			out[s.Copy.To] = true
		case s.Catchup != nil:
			out[s.Catchup.To] = true
		case s.SQL != nil && s.SQL.Exec != "":
			out[s.SQL.Conn] = true
		case s.Wait != nil:
			mark(s.Wait.Check)
		}
	}
	for _, ph := range rb.Phases {
		for _, it := range append(append([]runbook.Item(nil), ph.Items...), ph.Rollback...) {
			mark(it.Spec)
		}
	}
	return out
}

// get opens (once) and returns the named connection.
func (c *connPool) get(name string) (*engine.DB, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if db, ok := c.m[name]; ok {
		return db, nil
	}
	for _, conn := range c.rb.Connections {
		if conn.Name != name {
			continue
		}
		open := engine.OpenExisting
		if c.written[name] {
			open = engine.Open
		}
		start := time.Now()
		db, err := open(conn.Driver, conn.DSN)
		if err != nil {
			err = c.rb.Secrets.Error(fmt.Errorf("connection %s: %w", name, err))
			c.log.Debug("conn.open", "conn", name, "driver", conn.Driver, "error", err.Error())
			return nil, err
		}
		// db.String names user, host and database, never a password; a
		// ${VAR} value in them is masked all the same.
		c.log.Debug("conn.open", "conn", name, "driver", conn.Driver, "target", c.rb.Secrets.String(db.String()),
			"ms", time.Since(start).Milliseconds())
		c.m[name] = db
		return db, nil
	}
	return nil, fmt.Errorf("no connection %q in the runbook", name)
}

// sqlDB is get for checks, which speak database/sql.
func (c *connPool) sqlDB(name string) (*sql.DB, error) {
	db, err := c.get(name)
	if err != nil {
		return nil, err
	}
	return db.SQL(), nil
}

// close closes every connection opened.
func (c *connPool) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for name, db := range c.m {
		db.Close()
		delete(c.m, name)
	}
}
