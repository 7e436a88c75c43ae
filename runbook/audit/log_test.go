package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"modernc.org/sqlite"
)

func TestAppendAndReadBack(t *testing.T) {
	l, path := newLog(t)
	s := newSession(t, l)
	if !strings.HasPrefix(s.ID, s.Started.Format("20060102-1504")+"-") || len(s.ID) != len("20261122-0331-7f3a") {
		t.Errorf("session id %q is not date-time-random", s.ID)
	}
	if s.RunbookSHA != sha256Hex(s.RunbookText) || s.Status != "running" {
		t.Errorf("session = %+v", s)
	}
	written := appendN(t, l, s.ID, 5)
	for i, e := range written {
		if e.Seq != int64(i+2) {
			t.Errorf("event %d has seq %d, want %d", i, e.Seq, i+2)
		}
		if e.Run == "" || e.Time.IsZero() || e.Hash == "" || e.PrevHash == "" {
			t.Errorf("event %d not filled: %+v", i, e)
		}
		if i > 0 && (e.PrevHash != written[i-1].Hash || e.Mono < written[i-1].Mono) {
			t.Errorf("event %d does not follow event %d", e.Seq, written[i-1].Seq)
		}
	}
	all, err := l.Events(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 6 || all[0].Kind != KindSessionOpened || all[0].Seq != 1 || all[0].PrevHash != "" {
		t.Fatalf("events = %+v", all)
	}
	var op OpenedPayload
	if err := json.Unmarshal(all[0].Payload, &op); err != nil {
		t.Fatal(err)
	}
	if op != (OpenedPayload{Runbook: "orders-split", RunbookPath: "runbooks/orders-split.yaml", RunbookSHA: s.RunbookSHA, Operator: "alice", Host: "console-1", PID: os.Getpid(), Build: Build()}) {
		t.Errorf("session.opened payload = %+v", op)
	}
	for i, e := range written {
		if err := sameEvent(all[i+1], e); err != nil {
			t.Error(err)
		}
	}
	after, err := l.Events(context.Background(), s.ID, 4)
	if err != nil || len(after) != 2 || after[0].Seq != 5 {
		t.Fatalf("Events after 4 = %d events, %v", len(after), err)
	}
	if last, err := l.LastSeq(context.Background()); err != nil || last != 6 {
		t.Errorf("LastSeq = %d, %v", last, err)
	}
	rep := mustVerify(t, path)
	if !rep.OK || rep.Events != 6 || rep.Sessions != 1 || rep.LastHash != written[4].Hash {
		t.Errorf("Verify = %+v", rep)
	}
}

func TestExplicitTimeAndEmptyPayload(t *testing.T) {
	l, _ := newLog(t)
	s := newSession(t, l)
	at := time.Date(2026, 11, 22, 3, 31, 7, 123456789, time.FixedZone("CET", 3600))
	e, err := l.Append(Event{Session: s.ID, Actor: "bob", Kind: "phase.started", Phase: "pilot", Time: at})
	if err != nil {
		t.Fatal(err)
	}
	got, err := l.Events(context.Background(), s.ID, e.Seq-1)
	if err != nil || len(got) != 1 {
		t.Fatalf("Events = %v, %v", got, err)
	}
	if !got[0].Time.Equal(at) || got[0].Time.Location() != time.UTC || got[0].Payload != nil {
		t.Errorf("read back %v payload %q, want %v in UTC and no payload", got[0].Time, got[0].Payload, at)
	}
}

func TestInvalidEventsDoNotPoison(t *testing.T) {
	l, _ := newLog(t)
	s := newSession(t, l)
	for name, e := range map[string]Event{
		"no session":      {Actor: "a", Kind: "note"},
		"no kind":         {Session: s.ID, Actor: "a"},
		"no actor":        {Session: s.ID, Kind: "note"},
		"array payload":   {Session: s.ID, Actor: "a", Kind: "note", Payload: json.RawMessage(`[1]`)},
		"broken payload":  {Session: s.ID, Actor: "a", Kind: "note", Payload: json.RawMessage(`{"a":`)},
		"unknown session": {Session: "nope", Actor: "a", Kind: "note"},
		"year 10000":      {Session: s.ID, Actor: "a", Kind: "note", Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if _, err := l.Append(e); !errors.Is(err, ErrInvalidEvent) {
			t.Errorf("%s: err = %v, want ErrInvalidEvent", name, err)
		}
	}
	if _, err := l.AppendBatch([]Event{note(s.ID, 1), {Session: "nope", Actor: "a", Kind: "note"}}); !errors.Is(err, ErrInvalidEvent) {
		t.Errorf("batch with an unknown session: %v", err)
	}
	if last, _ := l.LastSeq(context.Background()); last != 1 {
		t.Errorf("a refused batch left events behind: last seq %d", last)
	}
	if _, err := l.Append(note(s.ID, 1)); err != nil {
		t.Fatalf("log poisoned by a caller's mistake: %v", err)
	}
}

func TestSessions(t *testing.T) {
	l, _ := newLog(t)
	if _, err := l.LatestSession(context.Background()); !errors.Is(err, ErrNoSession) {
		t.Errorf("LatestSession on an empty log: %v", err)
	}
	base := time.Date(2026, 11, 22, 3, 31, 0, 0, time.UTC)
	var ids []string
	for i := range 3 {
		s, err := l.CreateSession(SessionInfo{Runbook: "rb", Operator: "alice", Started: base.Add(time.Duration(i) * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s.ID)
	}
	list, err := l.Sessions(context.Background())
	if err != nil || len(list) != 3 || list[0].ID != ids[2] || list[2].ID != ids[0] {
		t.Fatalf("Sessions = %+v, %v", list, err)
	}
	if latest, err := l.LatestSession(context.Background()); err != nil || latest.ID != ids[2] {
		t.Errorf("LatestSession = %s, %v", latest.ID, err)
	}
	end := base.Add(5 * time.Hour)
	if err := l.SetSessionStatus(ids[1], "passed", end); err != nil {
		t.Fatal(err)
	}
	got, err := l.Session(context.Background(), ids[1])
	if err != nil || got.Status != "passed" || !got.Ended.Equal(end) || !got.Started.Equal(base.Add(time.Hour)) {
		t.Errorf("Session = %+v, %v", got, err)
	}
	if err := l.SetSessionStatus("nope", "passed", end); !errors.Is(err, ErrNoSession) {
		t.Errorf("SetSessionStatus of an unknown session: %v", err)
	}
	if _, err := l.Session(context.Background(), "nope"); !errors.Is(err, ErrNoSession) {
		t.Errorf("Session(nope): %v", err)
	}
	if _, err := l.CreateSession(SessionInfo{ID: ids[0], Operator: "bob"}); !errors.Is(err, ErrInvalidEvent) {
		t.Errorf("a duplicate session id: %v", err)
	}
	if _, err := l.CreateSession(SessionInfo{Runbook: "rb"}); !errors.Is(err, ErrInvalidEvent) {
		t.Errorf("a session without an operator: %v", err)
	}
}

func TestReopenContinuesChain(t *testing.T) {
	l, path := newLog(t)
	s := newSession(t, l)
	first := appendN(t, l, s.ID, 3)
	l.Close()
	l2, err := openQuiet(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	e, err := l2.Append(note(s.ID, 9))
	if err != nil {
		t.Fatal(err)
	}
	if e.Seq != 5 || e.PrevHash != first[2].Hash || e.Run == first[2].Run {
		t.Errorf("after reopen: seq %d prev %s run %s", e.Seq, e.PrevHash, e.Run)
	}
	if rep := mustVerify(t, path); !rep.OK {
		t.Error(rep.Reason)
	}
}

func TestScanStopsOnCallbackError(t *testing.T) {
	l, _ := newLog(t)
	s := newSession(t, l)
	appendN(t, l, s.ID, 10)
	n := 0
	err := l.Scan(context.Background(), "", 0, func(Event) error {
		n++
		if n == 3 {
			return errStop
		}
		return nil
	})
	if !errors.Is(err, errStop) || n != 3 {
		t.Errorf("Scan returned %v after %d events", err, n)
	}
}

func TestRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("hello, this is not a database at all, not even close\n"), 0o644)
	other := filepath.Join(dir, "other.db")
	db := rawDB(t, other)
	if _, err := db.Exec(`CREATE TABLE t(x)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	newer := filepath.Join(dir, "newer.db")
	l, err := openQuiet(newer)
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	db = rawDB(t, newer)
	db.Exec(`PRAGMA user_version = 99`)
	db.Close()

	for _, p := range []string{text, other, dir} {
		if _, err := openQuiet(p); !errors.Is(err, ErrNotLog) || !strings.Contains(err.Error(), p) {
			t.Errorf("openQuiet(%s): %v", p, err)
		}
		if _, err := OpenReadOnly(p); !errors.Is(err, ErrNotLog) || strings.Count(err.Error(), "\n") > 0 {
			t.Errorf("OpenReadOnly(%s): %v", p, err)
		}
	}
	if _, err := openQuiet(newer); err == nil || !strings.Contains(err.Error(), "newer runway") {
		t.Errorf("Open of a newer log: %v", err)
	}
	// The foreign database was not converted to WAL or otherwise touched.
	db = rawDB(t, other)
	var mode string
	db.QueryRow(`PRAGMA journal_mode`).Scan(&mode)
	if mode != "delete" {
		t.Errorf("Open changed a foreign database to journal mode %s", mode)
	}
	missing := filepath.Join(dir, "missing.db")
	if _, err := OpenReadOnly(missing); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("OpenReadOnly(missing): %v", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Error("OpenReadOnly created the file")
	}
	if _, err := Verify(context.Background(), missing); err == nil {
		t.Error("Verify of a missing file succeeded")
	}
}

func TestReadOnlyLogRefusesWrites(t *testing.T) {
	l, path := newLog(t)
	s := newSession(t, l)
	r, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Append(note(s.ID, 1)); !errors.Is(err, ErrUnwritable) {
		t.Errorf("Append on a read-only log: %v", err)
	}
	// A reader sees what the writer appends while both are open.
	appendN(t, l, s.ID, 3)
	if got, err := r.Events(context.Background(), s.ID, 0); err != nil || len(got) != 4 {
		t.Errorf("reader saw %d events, %v", len(got), err)
	}
	l.Close()
	if _, err := l.Append(note(s.ID, 1)); !errors.Is(err, ErrUnwritable) {
		t.Errorf("Append after Close: %v", err)
	}
}

func TestPathWithURICharacters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a?b#c%20d.db")
	l, err := openQuiet(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	newSession(t, l)
	if _, err := os.Stat(path); err != nil {
		t.Errorf("log not at %s: %v", path, err)
	}
	if rep := mustVerify(t, path); !rep.OK || rep.Events != 1 {
		t.Errorf("Verify = %+v", rep)
	}
}

func TestDurabilitySettings(t *testing.T) {
	l, path := newLog(t)
	for name, want := range map[string]string{
		"journal_mode":   "wal",
		"synchronous":    "2", // FULL: the WAL is synced at every commit
		"busy_timeout":   fmt.Sprint(busyTimeout.Milliseconds()),
		"foreign_keys":   "1",
		"user_version":   fmt.Sprint(schemaVersion),
		"application_id": fmt.Sprint(applicationID),
	} {
		if got := l.writerPragma(t, name); got != want {
			t.Errorf("PRAGMA %s = %s, want %s", name, got, want)
		}
	}
	if runtime.GOOS == "linux" && !sqlite.OFDLockingEnabled() {
		t.Error("SQLite uses POSIX locks, which any close of the file in this process drops")
	}
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Errorf("no WAL beside the log: %v", err)
	}
}
