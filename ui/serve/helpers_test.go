package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/session"
	"runway/ui/internal/termtest"
)

// deadline bounds every wait in these tests; nothing asserts a duration.
const deadline = 30 * time.Second

// pairRunbook has a phase whose critical item b fails under a two-person
// policy, then a phase of quick items.
const pairRunbook = `
version: 1
name: pairing
title: Pairing test
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    overrides: two-person
    items:
      - {id: a, title: A, command: {run: "true"}}
      - {id: b, title: B, critical: true, command: {run: "test -e fixed"}}
      - {id: c, title: C, command: {run: "true"}}
  - id: two
    title: Two
    risk: low
    expected: 1h
    items:
      - {id: d, title: D, command: {run: "sleep 0.2"}}
      - {id: e, title: E, command: {run: "sleep 0.2"}}
      - {id: f, title: F, command: {run: "sleep 0.2"}}
`

// rig is a served session: its log, the server, and a key per participant.
type rig struct {
	t    *testing.T
	dir  string
	log  *audit.Log
	sess *session.Session
	srv  *Server
	addr string
	keys map[string]gossh.Signer // by participant name, plus "mallory" (unknown)
	out  *termtest.Buffer        // the server's log lines
}

var cast = []session.Participant{
	{Name: "alice", Role: session.RoleLead},
	{Name: "bob", Role: session.RoleDriver},
	{Name: "carol", Role: session.RoleApprover},
	{Name: "olive", Role: session.RoleObserver},
}

func newRig(t *testing.T) *rig {
	t.Helper()
	return newRigWith(t, nil)
}

// newRigWith is newRig with a change to the server before it listens.
func newRigWith(t *testing.T, prep func(*Server)) *rig {
	t.Helper()
	r := &rig{t: t, dir: t.TempDir(), keys: map[string]gossh.Signer{}, out: &termtest.Buffer{}}
	var roster strings.Builder
	roster.WriteString("participants:\n")
	for _, p := range cast {
		r.keys[p.Name] = termtest.SSHKey(t)
		fmt.Fprintf(&roster, "  - name: %s\n    role: %s\n    key: %s\n", p.Name, p.Role, termtest.AuthorizedLine(r.keys[p.Name]))
	}
	r.keys["mallory"] = termtest.SSHKey(t)
	ro, err := ParseRoster("roster.yaml", []byte(roster.String()))
	if err != nil {
		t.Fatalf("roster: %v", err)
	}
	file := filepath.Join(r.dir, "runbook.yaml")
	if err := os.WriteFile(file, []byte(pairRunbook), 0o644); err != nil {
		t.Fatal(err)
	}
	rb, err := runbook.Load(file)
	if err != nil {
		t.Fatalf("runbook: %v", err)
	}
	r.log, err = audit.Open(filepath.Join(r.dir, "runway.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.log.Close() })
	r.sess, err = session.Start(context.Background(), r.log, rb, session.Options{Operator: ro.Lead().Name, Host: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.sess.Close(context.Background()) })
	r.srv, err = New(r.sess, Options{
		Listen: "127.0.0.1:0", HostKey: filepath.Join(r.dir, "keys", "host_key"),
		Roster: ro, AuditPath: "runway.db", Log: r.out,
	})
	if err != nil {
		t.Fatal(err)
	}
	if prep != nil {
		prep(r.srv)
	}
	if err := r.srv.Listen(); err != nil {
		t.Fatal(err)
	}
	r.addr = r.srv.Addr().String()
	served := make(chan error, 1)
	go func() { served <- r.srv.Serve() }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := r.srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return r
}

// dial opens an SSH connection as the owner of a key.
func (r *rig) dial(name, addr string) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User:            name,
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(r.keys[name])},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         deadline,
	})
}

// client is one participant's terminal: a pty of 80×24 and everything the
// server wrote to it.
type client struct {
	t    *testing.T
	name string
	cl   *gossh.Client
	ss   *gossh.Session
	in   io.Writer
	scr  *vt
	raw  termtest.Buffer // every byte, escape sequences included
}

// connect logs in as name (through addr, the server's by default) and waits
// for the first screen.
func (r *rig) connect(name string, addr ...string) *client {
	r.t.Helper()
	to := r.addr
	if len(addr) > 0 {
		to = addr[0]
	}
	return r.connectWith(name, to, 80, 24, "xterm", nil)
}

// connectWith logs in with a terminal of its own: size, type and the
// variables the client sends.
func (r *rig) connectWith(name, to string, w, h int, term string, env map[string]string) *client {
	r.t.Helper()
	cl, err := r.dial(name, to)
	if err != nil {
		r.t.Fatalf("%s: dial: %v", name, err)
	}
	c := &client{t: r.t, name: name, cl: cl, scr: newVT(w, h)}
	r.t.Cleanup(func() { cl.Close() })
	if c.ss, err = cl.NewSession(); err != nil {
		r.t.Fatal(err)
	}
	for k, v := range env {
		if err := c.ss.Setenv(k, v); err != nil {
			r.t.Fatalf("%s: setenv %s: %v", name, k, err)
		}
	}
	if err := c.ss.RequestPty(term, h, w, gossh.TerminalModes{}); err != nil {
		r.t.Fatal(err)
	}
	if c.in, err = c.ss.StdinPipe(); err != nil {
		r.t.Fatal(err)
	}
	c.ss.Stdout = io.MultiWriter(c.scr, &c.raw)
	if err := c.ss.Shell(); err != nil {
		r.t.Fatal(err)
	}
	c.waitFor("⇄ " + name)
	return c
}

// press types keys.
func (c *client) press(keys string) {
	c.t.Helper()
	if _, err := io.WriteString(c.in, keys); err != nil {
		c.t.Fatalf("%s: type %q: %v", c.name, keys, err)
	}
}

// waitFor waits until the participant's screen shows want.
func (c *client) waitFor(want string) {
	c.t.Helper()
	end := time.Now().Add(deadline)
	for {
		text := c.scr.text()
		if strings.Contains(text, want) {
			return
		}
		if time.Now().After(end) {
			c.t.Fatalf("%s: %q not shown; the screen:\n%s", c.name, want, text)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// events reads the session's events.
func (r *rig) events() []audit.Event {
	r.t.Helper()
	es, err := r.log.Events(context.Background(), r.sess.ID(), 0)
	if err != nil {
		r.t.Fatal(err)
	}
	return es
}

// waitEvent waits for an event that matches, and returns it.
func (r *rig) waitEvent(what string, match func(audit.Event) bool) audit.Event {
	r.t.Helper()
	end := time.Now().Add(deadline)
	for {
		for _, e := range r.events() {
			if match(e) {
				return e
			}
		}
		if time.Now().After(end) {
			r.t.Fatalf("no %s in the log:\n%s", what, r.dump())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// kindBy matches an event of a kind (and item, when given) caused by actor.
func kindBy(kind, item, actor string) func(audit.Event) bool {
	return func(e audit.Event) bool {
		return e.Kind == kind && (item == "" || e.Item == item) && e.Actor == actor
	}
}

// dump lists the events one a line, for failure messages.
func (r *rig) dump() string {
	var b strings.Builder
	for _, e := range r.events() {
		fmt.Fprintf(&b, "%d %s %s %s/%s %s\n", e.Seq, e.Actor, e.Kind, e.Phase, e.Item, e.Payload)
	}
	return b.String()
}

func payload[T any](t *testing.T, e audit.Event) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(e.Payload, &v); err != nil {
		t.Fatalf("%s payload %s: %v", e.Kind, e.Payload, err)
	}
	return v
}
