package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// openQuiet opens a log whose guard stays quiet: it would race the tests
// that take a file away and then write, which see what each write finds.
// Tests of the guard open with a short GuardEvery.
func openQuiet(path string) (*Log, error) { return OpenWith(path, Options{GuardEvery: time.Hour}) }

// newLog opens a fresh log in a temporary directory, its guard quiet.
func newLog(t testing.TB) (*Log, string) {
	t.Helper()
	return newGuardedLog(t, time.Hour)
}

// newGuardedLog opens a fresh log whose guard looks at its files every
// guard.
func newGuardedLog(t testing.TB, guard time.Duration) (*Log, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "runway.db")
	l, err := OpenWith(path, Options{GuardEvery: guard})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	return l, path
}

// newSession creates a session with a small runbook.
func newSession(t testing.TB, l *Log) SessionInfo {
	t.Helper()
	s, err := l.CreateSession(SessionInfo{
		Runbook:     "orders-split",
		RunbookPath: "runbooks/orders-split.yaml",
		RunbookText: []byte("version: 1\nname: orders-split\n"),
		Operator:    "alice",
		Host:        "console-1",
	})
	if err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	return s
}

// note builds a small event of session s.
func note(s string, i int) Event {
	return Event{
		Session: s, Actor: "alice", Kind: "note", Phase: "preparation", Item: "backups",
		Payload: json.RawMessage(fmt.Sprintf(`{"text":"note %d"}`, i)),
	}
}

// appendN appends n notes and returns them as Append returned them.
func appendN(t testing.TB, l *Log, s string, n int) []Event {
	t.Helper()
	out := make([]Event, 0, n)
	for i := range n {
		e, err := l.Append(note(s, i))
		if err != nil {
			t.Fatalf("Append %d: %v", i, err)
		}
		out = append(out, e)
	}
	return out
}

// rawDB opens the file with a connection of its own, as a tamperer would.
func rawDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", dsn(path, "_pragma=busy_timeout(5000)"))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// mustVerify runs Verify and fails the test on an error.
func mustVerify(t testing.TB, path string) Report {
	t.Helper()
	rep, err := Verify(context.Background(), path)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	return rep
}

// sameEvent compares two events field by field.
func sameEvent(a, b Event) error {
	switch {
	case a.Seq != b.Seq, a.Session != b.Session, !a.Time.Equal(b.Time), a.Mono != b.Mono,
		a.Run != b.Run, a.Actor != b.Actor, a.Kind != b.Kind, a.Phase != b.Phase, a.Item != b.Item,
		string(a.Payload) != string(b.Payload), a.PrevHash != b.PrevHash, a.Hash != b.Hash:
		return fmt.Errorf("events differ:\n%+v\n%+v", a, b)
	}
	return nil
}

// checkAllPresent asserts that every event in want is in the log at path,
// unchanged, and that the chain verifies.
func checkAllPresent(t *testing.T, path string, want []Event) {
	t.Helper()
	r, err := OpenReadOnly(path)
	if err != nil {
		t.Fatalf("OpenReadOnly: %v", err)
	}
	defer r.Close()
	got := map[int64]Event{}
	if err := r.Scan(context.Background(), "", 0, func(e Event) error { got[e.Seq] = e; return nil }); err != nil {
		t.Fatal(err)
	}
	for _, w := range want {
		g, ok := got[w.Seq]
		if !ok {
			t.Fatalf("event %d was lost", w.Seq)
		}
		if err := sameEvent(g, w); err != nil {
			t.Fatal(err)
		}
	}
	if rep, err := r.Verify(context.Background()); err != nil || !rep.OK {
		t.Fatalf("Verify after failure: %+v, %v", rep, err)
	}
}

var errStop = errors.New("stop")
