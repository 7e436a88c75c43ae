package audit

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sessionsLog writes a log of two sessions by alice on console-1: closed
// ends with session.closed "stopped" and its row says so; running has only
// notes. When resumed is set, closed is resumed after its close (the row
// still showing the close, as just before the executor marks it running).
func sessionsLog(t *testing.T, resumed bool) (path, closed, running string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "runway.db")
	l, err := openQuiet(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	a, b := newSession(t, l), newSession(t, l)
	appendN(t, l, a.ID, 2)
	appendN(t, l, b.ID, 2)
	ev, err := l.Append(Event{Session: a.ID, Actor: "alice", Kind: kindSessionClosed, Payload: json.RawMessage(`{"status":"stopped"}`)})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.SetSessionStatus(a.ID, "stopped", ev.Time.Add(time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if resumed {
		if _, err := l.Append(Event{Session: a.ID, Actor: "alice", Kind: "session.resumed"}); err != nil {
			t.Fatal(err)
		}
	}
	return path, a.ID, b.ID
}

func TestVerifyHoldsSessionRowsToTheirEvents(t *testing.T) {
	const old = "2001-01-01T00:00:00.000000000Z"
	for _, tc := range []struct {
		name    string
		resumed bool
		set     string // SET clause for the closed session's row ("" = the running one's)
		running string // SET clause for the running session's row
		want    string // "" = intact; else the reason after "session <id>: "
	}{
		{name: "untouched"},
		{name: "forged operator and status", set: `operator = 'mallory', status = 'passed'`,
			want: "operator in the sessions table does not match its session.opened event"},
		{name: "forged operator", set: `operator = 'mallory'`,
			want: "operator in the sessions table does not match its session.opened event"},
		{name: "forged host", set: `host = 'laptop'`,
			want: "host in the sessions table does not match its session.opened event"},
		{name: "forged started", set: `started = '` + old + `'`,
			want: "started in the sessions table does not match its session.opened event"},
		{name: "forged status of a closed session", set: `status = 'passed'`,
			want: "status in the sessions table (passed) does not match its last event, session.closed (stopped)"},
		{name: "forged ended before the last event", set: `ended = '` + old + `'`,
			want: "ended in the sessions table precedes its last event"},
		{name: "ended erased", set: `ended = ''`,
			want: "ended in the sessions table is empty, but its last event is session.closed"},
		{name: "forged status of a running session", running: `status = 'passed', ended = '9999-01-01T00:00:00.000000000Z'`,
			want: "status in the sessions table (passed) does not match its events (the session has not closed since)"},
		{name: "forged operator of a running session", running: `operator = 'mallory'`,
			want: "operator in the sessions table does not match its session.opened event"},
		// The executor appends session.closed, then sets the row: a crash in
		// between leaves the row running, which is no forgery.
		{name: "closed, row not yet updated", set: `status = 'running', ended = ''`},
		// Resuming appends session.resumed, then marks the row running.
		{name: "resumed, row not yet updated", resumed: true},
		{name: "resumed, row forged", resumed: true, set: `status = 'passed'`,
			want: "status in the sessions table (passed) does not match its events (the session has not closed since)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, closed, running := sessionsLog(t, tc.resumed)
			var stmts []string
			target := closed
			if tc.set != "" {
				stmts = append(stmts, `UPDATE sessions SET `+tc.set+` WHERE id = '`+closed+`'`)
			}
			if tc.running != "" {
				stmts = append(stmts, `UPDATE sessions SET `+tc.running+` WHERE id = '`+running+`'`)
				target = running
			}
			tamper(t, path, stmts...)
			rep := mustVerify(t, path)
			if tc.want == "" {
				if !rep.OK {
					t.Fatalf("Verify = %+v, want intact", rep)
				}
				return
			}
			want := "session " + target + ": " + tc.want
			if rep.OK || rep.Reason != want || rep.FirstBad != 0 {
				t.Errorf("Verify = %+v\nwant reason %q", rep, want)
			}
		})
	}
}

// closedLog writes a log of one session that closed "passed", its
// session.closed event recording when it ended, as the executor writes it.
func closedLog(t *testing.T) (path, id string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "runway.db")
	l, err := openQuiet(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	s := newSession(t, l)
	appendN(t, l, s.ID, 2)
	ended := time.Now().UTC()
	p, _ := json.Marshal(map[string]any{"status": "passed", "ended": ended})
	if _, err := l.Append(Event{Session: s.ID, Actor: "alice", Kind: kindSessionClosed, Payload: p}); err != nil {
		t.Fatal(err)
	}
	if err := l.SetSessionStatus(s.ID, "passed", ended); err != nil {
		t.Fatal(err)
	}
	return path, s.ID
}

// TestVerifyNamesEachForgedSessionColumn rewrites one column of a closed
// session's row at a time, as anyone with an SQLite shell could, and
// expects verify to name the session and the column.
func TestVerifyNamesEachForgedSessionColumn(t *testing.T) {
	later := time.Now().Add(1121*24*time.Hour + 16*time.Hour).UTC().Format(timeLayout)
	for _, tc := range []struct{ column, set string }{
		{"runbook", `runbook = 'payroll-drop'`},
		{"runbook_path", `runbook_path = '/tmp/elsewhere/orders-split.yaml'`},
		{"runbook_text", `runbook_text = CAST('version: 2' AS BLOB)`},
		{"runbook_sha256", `runbook_sha256 = '` + sha256Hex([]byte("version: 2")) + `'`},
		{"operator", `operator = 'mallory'`},
		{"host", `host = 'laptop'`},
		{"started", `started = '2001-01-01T00:00:00.000000000Z'`},
		{"ended", `ended = '` + later + `'`},
		{"status", `status = 'stopped'`},
	} {
		t.Run(tc.column, func(t *testing.T) {
			path, id := closedLog(t)
			if rep := mustVerify(t, path); !rep.OK {
				t.Fatalf("untouched log: %+v", rep)
			}
			tamper(t, path, `UPDATE sessions SET `+tc.set+` WHERE id = '`+id+`'`)
			rep := mustVerify(t, path)
			prefix := "session " + id + ": " + tc.column + " in the sessions table "
			if rep.OK || !strings.HasPrefix(rep.Reason, prefix) {
				t.Errorf("Verify = %+v\nwant a reason starting %q", rep, prefix)
			}
		})
	}
}

// TestVerifyOldLogForWhatItHolds checks a log written before session.opened
// carried runbook_path and session.closed carried ended: it verifies, a
// forged runbook is still caught, and a forged ended is held to the events.
func TestVerifyOldLogForWhatItHolds(t *testing.T) {
	for _, tc := range []struct{ name, set, want string }{
		{name: "untouched"},
		{name: "runbook_path, which no event records", set: `runbook_path = 'elsewhere.yaml'`},
		{name: "runbook", set: `runbook = 'payroll-drop'`, want: "runbook in the sessions table does not match its session.opened event"},
		{name: "ended before the close", set: `ended = '2001-01-01T00:00:00.000000000Z'`, want: "ended in the sessions table precedes its last event"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, id := oldFormatLog(t)
			if tc.set != "" {
				tamper(t, path, `UPDATE sessions SET `+tc.set+` WHERE id = '`+id+`'`)
			}
			rep := mustVerify(t, path)
			if tc.want == "" {
				if !rep.OK {
					t.Fatalf("Verify = %+v, want intact", rep)
				}
				return
			}
			if want := "session " + id + ": " + tc.want; rep.OK || rep.Reason != want {
				t.Errorf("Verify = %+v\nwant reason %q", rep, want)
			}
		})
	}
}

// oldFormatLog writes a closed session the way runway did before its
// session.opened payload held runbook_path and its session.closed ended.
func oldFormatLog(t *testing.T) (path, id string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "runway.db")
	l, err := openQuiet(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	text := []byte("version: 1\n")
	info := SessionInfo{ID: "old-1", Runbook: "orders-split", RunbookPath: "runbooks/orders-split.yaml", RunbookText: text,
		RunbookSHA: sha256Hex(text), Operator: "alice", Host: "console-1", Started: time.Now().UTC(), Status: "running"}
	opened := fmt.Sprintf(`{"runbook":"orders-split","runbook_sha256":%q,"operator":"alice","host":"console-1"}`, info.RunbookSHA)
	l.mu.Lock()
	err = l.writeTx(func(w *writer) error {
		if _, err := w.insertSession.Exec(info.ID, info.Runbook, info.RunbookPath, info.RunbookText,
			info.RunbookSHA, info.Operator, info.Host, formatTime(info.Started), "", info.Status); err != nil {
			return err
		}
		var out [1]Event
		ev := Event{Session: info.ID, Time: info.Started, Actor: "alice", Kind: KindSessionOpened}
		return l.insertEvents(w, []pending{{e: ev, payload: opened}}, out[:])
	})
	l.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	appendN(t, l, info.ID, 2)
	ev, err := l.Append(Event{Session: info.ID, Actor: "alice", Kind: kindSessionClosed, Payload: json.RawMessage(`{"status":"passed"}`)})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.SetSessionStatus(info.ID, "passed", ev.Time.Add(time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	return path, info.ID
}

// TestVerifyRowWithASecretInItsNames: a ${VAR} value that is also part of
// the runbook's name or path is masked in session.opened but not in the
// sessions row; verify accepts that, and still catches a forged row.
func TestVerifyRowWithASecretInItsNames(t *testing.T) {
	for _, tc := range []struct{ name, set, want string }{
		{name: "untouched"},
		{name: "forged path", set: `runbook_path = 'elsewhere/orders-split.yaml'`,
			want: "runbook_path in the sessions table does not match its session.opened event"},
		{name: "forged runbook", set: `runbook = 'orders-drop'`,
			want: "runbook in the sessions table does not match its session.opened event"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "runway.db")
			l, err := openQuiet(path)
			if err != nil {
				t.Fatal(err)
			}
			l.SetRedactor(func(s string) string { return strings.ReplaceAll(s, "orders", "***") })
			s := newSession(t, l)
			l.Close()
			if tc.set != "" {
				tamper(t, path, `UPDATE sessions SET `+tc.set+` WHERE id = '`+s.ID+`'`)
			}
			rep := mustVerify(t, path)
			switch {
			case tc.want == "" && !rep.OK:
				t.Fatalf("Verify = %+v, want intact", rep)
			case tc.want != "" && rep.Reason != "session "+s.ID+": "+tc.want:
				t.Errorf("Verify = %+v\nwant reason %q", rep, tc.want)
			}
		})
	}
}
