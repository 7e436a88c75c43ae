package session

import (
	"database/sql"
	"fmt"
	"sync"

	"runway/engine"
	"runway/runbook"
)

// connPool opens the runbook's named connections on first use and keeps
// them for the session; they are closed when the session ends. Errors never
// carry a DSN's secrets.
type connPool struct {
	rb *runbook.Runbook
	mu sync.Mutex
	m  map[string]*engine.DB
}

func newConnPool(rb *runbook.Runbook) *connPool {
	return &connPool{rb: rb, m: map[string]*engine.DB{}}
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
		db, err := engine.Open(conn.Driver, conn.DSN)
		if err != nil {
			return nil, c.rb.Secrets.Error(fmt.Errorf("connection %s: %w", name, err))
		}
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
