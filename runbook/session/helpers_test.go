package session

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/fold"
)

// fixture is a session on a runbook written into a temporary folder, with
// its audit log beside it.
type fixture struct {
	t    *testing.T
	dir  string
	path string // audit log
	log  *audit.Log
	rb   *runbook.Runbook
	sess *Session
}

// newFixture writes the runbook YAML, loads it and starts a session as alice.
func newFixture(t *testing.T, yaml string) *fixture {
	t.Helper()
	return newFixtureIn(t, t.TempDir(), yaml)
}

// newFixtureIn is newFixture in a folder prepared by the caller.
func newFixtureIn(t *testing.T, dir, yaml string) *fixture {
	t.Helper()
	return newFixtureFor(t, dir, loadRunbook(t, dir, yaml, nil))
}

// newFixtureFor starts a session of rb, loaded in dir.
func newFixtureFor(t *testing.T, dir string, rb *runbook.Runbook) *fixture {
	t.Helper()
	f := &fixture{t: t, dir: dir, rb: rb}
	f.path = filepath.Join(f.dir, "runway.db")
	log, err := audit.Open(f.path)
	if err != nil {
		t.Fatalf("open audit log: %v", err)
	}
	f.log = log
	t.Cleanup(func() { log.Close() })
	sess, err := Start(context.Background(), log, f.rb, Options{Operator: "alice", Host: "test"})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	f.sess = sess
	t.Cleanup(func() { sess.Close(context.Background()) })
	return f
}

func loadRunbook(t *testing.T, dir, yaml string, env map[string]string) *runbook.Runbook {
	t.Helper()
	file := filepath.Join(dir, "runbook.yaml")
	if err := os.WriteFile(file, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	rb, err := runbook.Parse(file, []byte(yaml), func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	})
	if err != nil {
		t.Fatalf("runbook: %v", err)
	}
	return rb
}

// do runs an action that must be accepted, and waits for what it started.
func (f *fixture) do(a Action) {
	f.t.Helper()
	if err := f.sess.Do(a); err != nil {
		f.t.Fatalf("%s: %v", a.ActionName(), err)
	}
	f.idle()
}

// refused runs an action that must be refused with a reason containing want.
func (f *fixture) refused(a Action, want string) {
	f.t.Helper()
	err := f.sess.Do(a)
	if err == nil {
		f.t.Fatalf("%s was accepted, want a refusal containing %q", a.ActionName(), want)
	}
	if _, ok := err.(*RefusedError); !ok || !strings.Contains(err.Error(), want) {
		f.t.Fatalf("%s: got %v, want a refusal containing %q", a.ActionName(), err, want)
	}
	f.idle()
}

// idle waits until nothing runs.
func (f *fixture) idle() {
	f.t.Helper()
	waitIdle(f.t, f.sess)
}

func waitIdle(t *testing.T, s *Session) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !s.Idle() {
		if time.Now().After(deadline) {
			t.Fatalf("session still busy after 30s: %+v", s.State())
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func (f *fixture) state() fold.State { return f.sess.State() }

func (f *fixture) item(id string) fold.ItemState {
	f.t.Helper()
	st := f.state()
	it := st.Item("", id)
	if it == nil {
		f.t.Fatalf("no item %s", id)
	}
	return *it
}

// kinds lists the kinds of the session's events, in order.
func (f *fixture) kinds() []string {
	f.t.Helper()
	events, err := f.log.Events(context.Background(), f.sess.ID(), 0)
	if err != nil {
		f.t.Fatal(err)
	}
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Kind
		if e.Item != "" {
			out[i] += " " + e.Item
		} else if e.Phase != "" {
			out[i] += " " + e.Phase
		}
	}
	return out
}

func (f *fixture) has(kind string) bool {
	for _, k := range f.kinds() {
		if k == kind {
			return true
		}
	}
	return false
}

func (f *fixture) exists(name string) bool {
	_, err := os.Stat(filepath.Join(f.dir, name))
	return err == nil
}

func touch(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
		t.Fatal(err)
	}
}
