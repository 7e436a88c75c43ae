package session

import (
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"runway/runbook/audit"
	"runway/runbook/event"
)

// A session that another live process on this host drives is refused by
// Resume, naming that process; once it is gone the resume goes ahead.
func TestResumeRefusesALiveForeignDriver(t *testing.T) {
	f := newFixture(t, longRunbook)
	if err := f.sess.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Closed by its own process: anyone may continue it.
	s2, err := Resume(context.Background(), f.log, f.sess.ID(), Options{Operator: "alice", Host: "test"})
	if err != nil {
		t.Fatalf("resume of a closed session: %v", err)
	}
	if err := s2.Close(context.Background()); err != nil {
		t.Fatal(err)
	}

	// Another process resumed it and has not closed it.
	child := exec.Command("sleep", "30")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { child.Process.Kill(); child.Wait() })
	raw, _ := json.Marshal(event.ResumedPayload{Operator: "bob", Host: "test", PID: child.Process.Pid})
	if _, err := f.log.Append(audit.Event{Session: f.sess.ID(), Actor: "bob", Kind: event.KindSessionResumed, Payload: raw}); err != nil {
		t.Fatal(err)
	}
	before, _ := f.log.Events(context.Background(), f.sess.ID(), 0)

	_, err = Resume(context.Background(), f.log, f.sess.ID(), Options{Operator: "alice", Host: "test"})
	var d *DrivenError
	if !errors.As(err, &d) || d.PID != child.Process.Pid || d.ID != f.sess.ID() {
		t.Fatalf("resume while pid %d drives: %v", child.Process.Pid, err)
	}
	if msg := err.Error(); !strings.Contains(msg, "being driven by process") || strings.Contains(msg, "\n") {
		t.Fatalf("refusal reads %q", msg)
	}
	if after, _ := f.log.Events(context.Background(), f.sess.ID(), 0); len(after) != len(before) {
		t.Fatalf("a refused resume wrote %d events", len(after)-len(before))
	}
	// The same pid on another host is not ours to judge.
	if s, err := Resume(context.Background(), f.log, f.sess.ID(), Options{Operator: "alice", Host: "elsewhere"}); err != nil {
		t.Fatalf("resume from another host name: %v", err)
	} else {
		s.Close(context.Background())
	}
	raw, _ = json.Marshal(event.ResumedPayload{Operator: "bob", Host: "test", PID: child.Process.Pid})
	if _, err := f.log.Append(audit.Event{Session: f.sess.ID(), Actor: "bob", Kind: event.KindSessionResumed, Payload: raw}); err != nil {
		t.Fatal(err)
	}

	// The driver is gone (killed; left a zombie until reaped, then reaped).
	child.Process.Kill()
	child.Wait()
	s3, err := Resume(context.Background(), f.log, f.sess.ID(), Options{Operator: "alice", Host: "test"})
	if err != nil {
		t.Fatalf("resume after the driver died: %v", err)
	}
	if err := s3.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// A zombie, a process that ended but is not yet reaped, drives nothing.
func TestProcessAliveTreatsAZombieAsDead(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("zombies are told apart through /proc")
	}
	child := exec.Command("sh", "-c", "exit 0")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer child.Wait()
	if !alive(selfPID) {
		t.Fatal("this process is not alive")
	}
	// Not reaped yet: it becomes a zombie once it exits.
	waitUntil(t, "the child to exit", func() bool { return !alive(child.Process.Pid) })
}

// waitUntil polls cond until it holds.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
