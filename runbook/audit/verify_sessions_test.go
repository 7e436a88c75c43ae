package audit

import (
	"encoding/json"
	"path/filepath"
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
	l, err := Open(path)
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
