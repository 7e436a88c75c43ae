package session

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"runway/runbook/audit"
	"runway/runbook/fold"
)

const longRunbook = `
version: 1
name: t
title: test
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: a, title: A, command: {run: "echo a >> ran.txt"}}
      - {id: b, title: B, command: {run: "echo b >> ran.txt"}}
      - {id: long, title: Long, critical: true, command: {run: "test -e again && exit 0; touch again; sleep 30"}}
`

// waitFor polls the session's state until cond holds.
func waitFor(t *testing.T, s *Session, what string, cond func(fold.State) bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond(s.State()) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// crash ends a session the way a killed process does: nothing more is
// recorded, running items are simply gone.
func crash(s *Session) {
	s.cancel(errors.New("process killed"))
	waitTimeout(&s.runners, 10*time.Second)
	s.endCore()
	<-s.done
	s.claim.release() // the operating system drops a dead process's lock
}

func TestResumeAfterCrashRunsInterruptedItemOnly(t *testing.T) {
	f := newFixture(t, longRunbook)
	if err := f.sess.Do(RunPhase{Phase: "one"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, f.sess, "the long item to sleep", func(st fold.State) bool { return f.exists("again") })
	crash(f.sess)

	s2, err := Resume(context.Background(), f.log, "", Options{Operator: "bob", Host: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close(context.Background())
	if st := s2.State(); st.Item("one", "long").Status != fold.ItemInterrupted || st.Item("one", "a").Status != fold.ItemPassed {
		t.Fatalf("after resume: long %s, a %s", st.Item("one", "long").Status, st.Item("one", "a").Status)
	}
	if err := s2.Do(RunPhase{Actor: "bob", Phase: "one"}); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, s2)
	st := s2.State()
	if st.Status != fold.StatusPassed || st.Item("one", "long").Attempt != 2 {
		t.Fatalf("status %s, long attempt %d", st.Status, st.Item("one", "long").Attempt)
	}
	ran, _ := os.ReadFile(filepath.Join(f.dir, "ran.txt"))
	if string(ran) != "a\nb\n" {
		t.Fatalf("passed items ran again: %q", ran)
	}
	kinds := (&fixture{t: t, log: f.log, sess: s2}).kinds()
	if !contains(kinds, "session.resumed") || !contains(kinds, "item.interrupted long") {
		t.Fatalf("log lacks the resume: %v", kinds)
	}
	if rep, err := f.log.Verify(context.Background()); err != nil || !rep.OK {
		t.Fatalf("verify: %+v %v", rep, err)
	}
}

func TestCloseInterruptsAndResumes(t *testing.T) {
	f := newFixture(t, longRunbook)
	if err := f.sess.Do(RunPhase{Phase: "one"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, f.sess, "the long item to sleep", func(st fold.State) bool { return f.exists("again") })
	if err := f.sess.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := f.sess.State(); st.Item("one", "long").Status != fold.ItemInterrupted || st.Status != fold.StatusClosed {
		t.Fatalf("after close: long %s, status %s", st.Item("one", "long").Status, st.Status)
	}
	if err := f.sess.Do(Note{Text: "x"}); !errors.Is(err, ErrClosed) {
		t.Fatalf("Do after Close: %v", err)
	}
	info, err := f.log.Session(context.Background(), f.sess.ID())
	if err != nil || info.Status != "quit" {
		t.Fatalf("session status %q, %v", info.Status, err)
	}
	s2, err := Resume(context.Background(), f.log, f.sess.ID(), Options{Operator: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close(context.Background())
	if err := s2.Do(RunPhase{Phase: "one"}); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, s2)
	if st := s2.State(); st.Status != fold.StatusPassed {
		t.Fatalf("status %s", st.Status)
	}
}

func TestResumeUnknownSession(t *testing.T) {
	f := newFixture(t, longRunbook)
	if _, err := Resume(context.Background(), f.log, "nope", Options{}); !errors.Is(err, audit.ErrNoSession) {
		t.Fatalf("got %v", err)
	}
}

func TestAuditFailureStopsEverything(t *testing.T) {
	f := newFixture(t, longRunbook)
	if err := f.sess.Do(RunPhase{Phase: "one"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, f.sess, "the long item to start", func(st fold.State) bool { return st.Item("one", "long").Status == fold.ItemRunning })
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(f.path + suffix)
	}
	err := f.sess.Do(Note{Text: "anyone there?"})
	if !errors.Is(err, audit.ErrUnwritable) {
		t.Fatalf("Do on a removed log: %v, want ErrUnwritable", err)
	}
	select {
	case <-f.sess.Done():
	case <-time.After(15 * time.Second):
		t.Fatal("the session did not stop after the audit log failed")
	}
	if !errors.Is(f.sess.Err(), audit.ErrUnwritable) || strings.Contains(f.sess.Err().Error(), "\n") {
		t.Fatalf("Err = %v", f.sess.Err())
	}
	if err := f.sess.Do(Note{Text: "again"}); !errors.Is(err, audit.ErrUnwritable) {
		t.Fatalf("Do after the failure: %v", err)
	}
	if err := f.sess.Close(context.Background()); !errors.Is(err, audit.ErrUnwritable) {
		t.Fatalf("Close: %v", err)
	}
}

func contains(list []string, s string) bool { return count(list, s) > 0 }
