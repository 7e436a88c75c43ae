package demo

import (
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// eventually polls cond until it holds or a generous deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestWriterStopsAtReadOnly(t *testing.T) {
	l := build(t, t.TempDir(), small)
	w, err := StartWriter(l, 200, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	if _, err := os.Stat(l.Writer); err != nil {
		t.Fatalf("writer.pid while running: %v", err)
	}
	eventually(t, "inserts, updates and deletes", func() bool {
		s := w.Stats()
		return s.Inserted > 0 && s.Updated > 0 && s.Deleted > 0 || s.Err != nil
	})
	if err := os.WriteFile(l.ReadOnly, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	select {
	case <-w.Done():
	case <-time.After(30 * time.Second):
		t.Fatal("writer still running after READONLY")
	}
	s := w.Stop()
	if s.Err != nil {
		t.Fatal(s.Err)
	}
	if _, err := os.Stat(l.Writer); !os.IsNotExist(err) {
		t.Errorf("writer.pid after stop: %v", err)
	}

	db := open(t, l.Legacy)
	// Every change is in the log, and only orders outside the pilot slices changed.
	if got := count(t, db, "SELECT COUNT(*) FROM change_log"); int64(got) != s.Changes() {
		t.Errorf("change_log holds %d rows, writer made %d changes (%+v)", got, s.Changes(), s)
	}
	if got := count(t, db, `SELECT COUNT(*) FROM orders o JOIN merchants m ON m.id = o.merchant_id
		WHERE m.wave < 3 AND o.updated_at > '2025-01-01'`); got != 0 {
		t.Errorf("%d pilot orders changed", got)
	}
	if got := count(t, db, "SELECT COUNT(*) FROM orders"); int64(got) != int64(small.Orders)+s.Inserted-s.Deleted {
		t.Errorf("orders = %d, want %d + %d - %d", got, small.Orders, s.Inserted, s.Deleted)
	}

	// A writer started on a read-only folder writes nothing.
	again, err := StartWriter(l, 200, 2)
	if err != nil {
		t.Fatal(err)
	}
	if s := again.Stop(); s.Changes() != 0 {
		t.Errorf("writer on a read-only folder made %d changes", s.Changes())
	}
}

func TestWriterStop(t *testing.T) {
	l := build(t, t.TempDir(), small)
	w, err := StartWriter(l, 100, 3)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "a first change", func() bool { return w.Stats().Changes() > 0 })
	s := w.Stop()
	if s.Err != nil {
		t.Fatal(s.Err)
	}
	if after := w.Stop(); after.Changes() != s.Changes() {
		t.Errorf("changes after Stop: %d then %d", s.Changes(), after.Changes())
	}
	if got := count(t, open(t, l.Legacy), "SELECT COUNT(*) FROM change_log"); int64(got) != s.Changes() {
		t.Errorf("change_log holds %d rows, writer made %d changes", got, s.Changes())
	}
}

func TestRunningWriter(t *testing.T) {
	l := At(t.TempDir())
	if _, ok := l.RunningWriter(); ok {
		t.Error("a folder without writer.pid has a running writer")
	}
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		pid  int
		want bool
	}{
		{os.Getppid(), true},      // another live process
		{os.Getpid(), false},      // this process: its own writer
		{dead.Process.Pid, false}, // left by a killed process
		{0, false},
	} {
		if err := os.WriteFile(l.Writer, []byte(strconv.Itoa(tc.pid)+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if pid, ok := l.RunningWriter(); ok != tc.want || ok && pid != tc.pid {
			t.Errorf("writer.pid %d: RunningWriter = %d, %v; want %v", tc.pid, pid, ok, tc.want)
		}
	}
}
