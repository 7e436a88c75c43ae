package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestHelperProcess is not a test: it is the second process of
// TestTwoProcessesAppend, appending to the log named in its environment.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv("RUNWAY_AUDIT_HELPER_LOG")
	if path == "" {
		return
	}
	n, _ := strconv.Atoi(os.Getenv("RUNWAY_AUDIT_HELPER_N"))
	l, err := openQuiet(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	session := os.Getenv("RUNWAY_AUDIT_HELPER_SESSION")
	if os.Getenv("RUNWAY_AUDIT_HELPER_CRASH") != "" {
		// Record n events, say which was last, and die without closing.
		var last Event
		for i := range n {
			if last, err = l.Append(note(session, i)); err != nil {
				t.Fatal(err)
			}
		}
		fmt.Printf("last %d %s\n", last.Seq, last.Hash)
		os.Stdout.Sync()
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	}
	for i := range n {
		if i%10 == 0 {
			batch := []Event{note(session, i), note(session, i)}
			if _, err := l.AppendBatch(batch); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if _, err := l.Append(note(session, i)); err != nil {
			t.Fatal(err)
		}
	}
}

// checkChain asserts a gapless verified chain of want events, in which each
// run's Mono never goes backwards.
func checkChain(t *testing.T, path string, want int64) {
	t.Helper()
	rep := mustVerify(t, path)
	if !rep.OK || rep.Events != want {
		t.Fatalf("Verify = %+v, want %d events", rep, want)
	}
	r, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	lastMono := map[string]int64{}
	err = r.Scan(context.Background(), "", 0, func(e Event) error {
		if m, ok := lastMono[e.Run]; ok && e.Mono < m {
			return fmt.Errorf("event %d: mono %d before %d in run %s", e.Seq, e.Mono, m, e.Run)
		}
		lastMono[e.Run] = e.Mono
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTwoProcessesAppend(t *testing.T) {
	l, path := newLog(t)
	s := newSession(t, l)
	const n = 60
	var cmds []*exec.Cmd
	var outs [2]bytes.Buffer
	for range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), "RUNWAY_AUDIT_HELPER_LOG="+path, "RUNWAY_AUDIT_HELPER_SESSION="+s.ID, "RUNWAY_AUDIT_HELPER_N="+strconv.Itoa(n))
		cmd.Stdout, cmd.Stderr = &outs[len(cmds)], &outs[len(cmds)]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	appendN(t, l, s.ID, n)
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("helper process: %v\n%s", err, outs[i].String())
		}
	}
	// Each helper appends n events, with n/10 batches of two.
	checkChain(t, path, 1+n+2*(n+n/10))
	// The writer still appends after the others have gone.
	if _, err := l.Append(note(s.ID, 0)); err != nil {
		t.Fatal(err)
	}
}

func TestConcurrentWritersAndReaders(t *testing.T) {
	l, path := newLog(t)
	s := newSession(t, l)
	other, err := openQuiet(path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	watcher, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer watcher.Close()
	const writers, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers+1)
	for w := range writers {
		log := l
		if w%2 == 1 {
			log = other
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if _, err := log.Append(note(s.ID, i)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() {
		// A watcher folds the stream as it grows: seq must never skip.
		var last int64
		for {
			select {
			case <-done:
				errs <- nil
				return
			default:
			}
			err := watcher.Scan(context.Background(), "", last, func(e Event) error {
				if e.Seq != last+1 {
					return fmt.Errorf("watcher saw event %d after %d", e.Seq, last)
				}
				last = e.Seq
				return nil
			})
			if err != nil {
				errs <- err
				return
			}
		}
	}()
	wg.Wait()
	close(done)
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	checkChain(t, path, 1+writers*each)
}

func TestFollowSeesOtherWriters(t *testing.T) {
	l, path := newLog(t)
	s := newSession(t, l)
	other := newSession(t, l)
	watcher, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer watcher.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan Event, 100)
	done := make(chan error, 1)
	go func() {
		done <- watcher.Follow(ctx, s.ID, 0, time.Millisecond, func(e Event) error {
			got <- e
			return nil
		})
	}()
	written := appendN(t, l, s.ID, 5)
	appendN(t, l, other.ID, 2) // another session: not followed
	written = append(written, appendN(t, l, s.ID, 5)...)
	first := <-got
	if first.Kind != KindSessionOpened || first.Session != s.ID {
		t.Fatalf("first followed event = %+v", first)
	}
	for _, w := range written {
		select {
		case e := <-got:
			if err := sameEvent(e, w); err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("event %d never arrived", w.Seq)
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Follow returned %v after cancel", err)
	}
	if len(got) != 0 {
		t.Errorf("unexpected extra event %+v", <-got)
	}
}

func TestEventsSurviveAKilledWriter(t *testing.T) {
	l, path := newLog(t)
	s := newSession(t, l)
	l.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "RUNWAY_AUDIT_HELPER_LOG="+path, "RUNWAY_AUDIT_HELPER_SESSION="+s.ID,
		"RUNWAY_AUDIT_HELPER_N=20", "RUNWAY_AUDIT_HELPER_CRASH=1")
	out, err := cmd.Output()
	if err == nil {
		t.Fatal("the writer was not killed")
	}
	var seq int64
	var hash string
	if _, err := fmt.Sscanf(string(out), "last %d %s", &seq, &hash); err != nil || seq != 21 {
		t.Fatalf("writer said %q (%v)", out, err)
	}
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Fatalf("the killed writer left no WAL: %v", err)
	}
	// The next writer recovers the WAL and continues the chain.
	l2, err := openQuiet(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	e, err := l2.Append(note(s.ID, 0))
	if err != nil {
		t.Fatal(err)
	}
	if e.Seq != seq+1 || e.PrevHash != hash {
		t.Errorf("after the crash: event %d follows %s, want %d after %s", e.Seq, e.PrevHash, seq+1, hash)
	}
	checkChain(t, path, seq+1)
}
