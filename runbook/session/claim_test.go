package session

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"

	"runway/checks"
	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/fold"
)

// Two resumes of the same session at the same moment: exactly one drives,
// the other is refused naming this process, and the log holds exactly one
// session.resumed per round. The lock also holds between two claims in one
// process, so goroutines stand for processes here.
func TestConcurrentResumesOneDrives(t *testing.T) {
	f := newFixture(t, longRunbook)
	if err := f.sess.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	const rounds = 30
	for round := range rounds {
		start := make(chan struct{})
		var wg sync.WaitGroup
		sessions := make([]*Session, 2)
		errs := make([]error, 2)
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				sessions[i], errs[i] = Resume(context.Background(), f.log, f.sess.ID(), Options{Operator: "alice", Host: "test"})
			}()
		}
		close(start)
		wg.Wait()
		drove := 0
		for i := range 2 {
			var d *DrivenError
			switch {
			case errs[i] == nil:
				drove++
			case errors.As(errs[i], &d):
				if d.PID != os.Getpid() || d.Host != "test" {
					t.Errorf("round %d: refusal names process %d on %q, want %d on test", round, d.PID, d.Host, os.Getpid())
				}
			default:
				t.Fatalf("round %d: resume: %v", round, errs[i])
			}
		}
		if drove != 1 {
			t.Fatalf("round %d: %d resumes drive the session, want exactly 1", round, drove)
		}
		for _, s := range sessions {
			if s != nil {
				if err := s.Close(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	events, err := f.log.Events(context.Background(), f.sess.ID(), 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range events {
		if e.Kind == event.KindSessionResumed {
			n++
		}
	}
	if n != rounds {
		t.Fatalf("the log holds %d session.resumed for %d rounds", n, rounds)
	}
}

// A started session is claimed from before its first event until it is
// closed; the lock file beside the log is gone once it is.
func TestStartClaimsUntilClose(t *testing.T) {
	f := newFixture(t, longRunbook)
	lock := claimFile(f.path, f.sess.ID())
	if _, err := os.Stat(lock); err != nil {
		t.Fatalf("no lock file while the session runs: %v", err)
	}
	_, err := Resume(context.Background(), f.log, f.sess.ID(), Options{Operator: "bob", Host: "test"})
	var d *DrivenError
	if !errors.As(err, &d) || d.PID != os.Getpid() {
		t.Fatalf("resume of a session this process drives: %v", err)
	}
	if err := f.sess.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(lock); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("lock file left after close: %v", err)
	}
	s, err := Resume(context.Background(), f.log, f.sess.ID(), Options{Operator: "bob", Host: "test"})
	if err != nil {
		t.Fatalf("resume after close: %v", err)
	}
	s.Close(context.Background())
}

// A command of the interrupted run that still runs (its driver was killed,
// its process group lives on) holds back a resume, which names the item and
// the group; once the group is gone the resume runs the item again.
func TestResumeRefusesWhileACommandOfTheDeadRunLives(t *testing.T) {
	f := newFixture(t, longRunbook)
	if err := f.sess.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	// What a killed driver leaves: the item started, its group recorded, no verdict.
	group := exec.Command("sh", "-c", "sleep 60 & wait")
	group.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := group.Start(); err != nil {
		t.Fatal(err)
	}
	pgid := group.Process.Pid
	t.Cleanup(func() { syscall.Kill(-pgid, syscall.SIGKILL); group.Wait() })
	for _, e := range []struct {
		kind    string
		payload any
	}{
		{event.KindSessionResumed, event.ResumedPayload{Operator: "bob", Host: "test", PID: 1 << 30}},
		{event.KindItemStarted, event.StartedPayload{Kind: "command", Attempt: 1}},
		{event.KindItemProcess, event.ProcessPayload{PGID: pgid, Host: "test"}},
	} {
		raw, _ := json.Marshal(e.payload)
		if _, err := f.log.Append(audit.Event{Session: f.sess.ID(), Actor: "bob", Kind: e.kind, Phase: "one", Item: "long", Payload: raw}); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := f.log.Events(context.Background(), f.sess.ID(), 0)

	_, err := Resume(context.Background(), f.log, f.sess.ID(), Options{Operator: "alice", Host: "test"})
	var left *LeftRunningError
	if !errors.As(err, &left) || left.Item != "long" || left.PGID != pgid || left.Member.PID <= 0 ||
		(left.Member.Name != "sh" && left.Member.Name != "sleep") {
		t.Fatalf("resume while group %d runs: %v", pgid, err)
	}
	if msg := err.Error(); !strings.Contains(msg, fmt.Sprintf("(%s, pid %d)", left.Member.Name, left.Member.PID)) ||
		!strings.Contains(msg, fmt.Sprintf("kill -- -%d", pgid)) || strings.Contains(msg, "\n") {
		t.Fatalf("refusal reads %q", msg)
	}
	if after, _ := f.log.Events(context.Background(), f.sess.ID(), 0); len(after) != len(before) {
		t.Fatalf("a refused resume wrote %d events", len(after)-len(before))
	}
	if _, err := os.Stat(claimFile(f.path, f.sess.ID())); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refused resume keeps its lock: %v", err)
	}

	syscall.Kill(-pgid, syscall.SIGKILL)
	group.Wait()
	waitUntil(t, "the group to die", func() bool { return !checks.GroupAlive(pgid) })
	s, err := Resume(context.Background(), f.log, f.sess.ID(), Options{Operator: "alice", Host: "test"})
	if err != nil {
		t.Fatalf("resume once the group is gone: %v", err)
	}
	if st := s.State(); st.Phases[0].Items[2].Status != fold.ItemInterrupted {
		t.Fatalf("item long is %s after the resume, want interrupted", st.Phases[0].Items[2].Status)
	}
	s.Close(context.Background())
}
