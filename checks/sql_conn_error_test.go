package checks

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"runway/runbook"
)

// A connection that cannot be opened is named once: the executor's error
// already says "connection target: …", and a sql check or a sql guard
// repeating it read "connection target: connection target: …".
func TestSQLConnectionErrorNamedOnce(t *testing.T) {
	env := Env{DB: func(conn string) (*sql.DB, error) {
		return nil, errors.New("connection " + conn + ": parse postgres://app@db/shop: no host")
	}}
	c, err := newSQL(&runbook.SQL{Conn: "target", Query: "SELECT 1", Expect: "1"})
	if err != nil {
		t.Fatal(err)
	}
	if s := c.run(context.Background(), env).Summary; strings.Count(s, "connection target:") != 1 {
		t.Errorf("sql check: %q", s)
	}
	if _, err := sqlSample(context.Background(), env, &runbook.SQL{Conn: "target", Query: "SELECT 1"}); err == nil || strings.Count(err.Error(), "connection target:") != 1 {
		t.Errorf("sql sample: %v", err)
	}
	// an error that does not name it is still given its name
	env.DB = func(string) (*sql.DB, error) { return nil, errors.New("no such connection") }
	if s := c.run(context.Background(), env).Summary; !strings.HasPrefix(s, "connection target: no such connection") {
		t.Errorf("sql check: %q", s)
	}
}
