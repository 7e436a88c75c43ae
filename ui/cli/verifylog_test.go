package cli

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"runway/runbook/audit"
)

// verifyLogFixture writes a log of one session and three more events.
func verifyLogFixture(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "runway.db")
	l, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := l.CreateSession(audit.SessionInfo{Runbook: "demo", Operator: "alice", RunbookText: []byte("version: 1\n")})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := l.Append(audit.Event{Session: s.ID, Actor: "alice", Kind: "note", Payload: []byte(`{"text":"checked"}`)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func runVerifyLog(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := Execute(append([]string{"verify-log"}, args...), strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestVerifyLogIntact(t *testing.T) {
	path := verifyLogFixture(t)
	rep, err := audit.Verify(context.Background(), path)
	if err != nil || len(rep.LastHash) != 64 {
		t.Fatalf("Verify = %+v, %v", rep, err)
	}
	code, out, errOut := runVerifyLog(path)
	want := path + ": 4 events in 1 session, hash chain intact, anchor 4:" + rep.LastHash + "\n"
	if code != ExitOK || out != want || errOut != "" {
		t.Errorf("exit %d, out %q, err %q; want %q", code, out, errOut, want)
	}
	// PATH defaults to --audit.
	if code, out, _ := runVerifyLog("--audit", path); code != ExitOK || out != want {
		t.Errorf("--audit: exit %d, out %q", code, out)
	}
}

func TestVerifyLogForgedSessionRow(t *testing.T) {
	path := verifyLogFixture(t)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	var id string
	if err := db.QueryRow(`SELECT id FROM sessions`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE sessions SET operator = 'mallory', status = 'passed'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out, errOut := runVerifyLog(path)
	want := path + ": session " + id + ": operator in the sessions table does not match its session.opened event\n"
	if code != ExitStopped || out != "" || !strings.HasSuffix(errOut, want) {
		t.Errorf("exit %d, out %q, err %q; want %q", code, out, errOut, want)
	}
}

// TestVerifyLogAnchor: a log cut short is still a intact chain; only the
// anchor noted earlier shows the cut, and a rebuilt chain shows against it.
func TestVerifyLogAnchor(t *testing.T) {
	path := verifyLogFixture(t)
	rep, err := audit.Verify(context.Background(), path)
	if err != nil || rep.LastSeq != 4 {
		t.Fatalf("Verify = %+v, %v", rep, err)
	}
	anchor := "4:" + rep.LastHash
	code, out, errOut := runVerifyLog(path, "--expect", anchor)
	if code != ExitOK || !strings.Contains(out, "holds event 4 as expected") || errOut != "" {
		t.Fatalf("intact log: exit %d, out %q, err %q", code, out, errOut)
	}

	// another hash at event 3: the chain was rebuilt
	code, out, errOut = runVerifyLog(path, "--expect", "3:"+strings.Repeat("0", 64))
	if code != ExitStopped || out != "" || !strings.Contains(errOut, "event 3 has hash ") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("wrong hash: exit %d, out %q, err %q", code, out, errOut)
	}

	// cut the last event: the chain alone still looks intact
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq = 4`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if code, out, _ := runVerifyLog(path); code != ExitOK || !strings.Contains(out, ": 3 events in 1 session, hash chain intact") {
		t.Fatalf("cut log without anchor: exit %d, out %q", code, out)
	}
	code, out, errOut = runVerifyLog(path, "--expect", anchor)
	want := path + ": event 4 of the anchor is missing: the log ends at event 3, so events were cut from its end\n"
	if code != ExitStopped || out != "" || !strings.HasSuffix(errOut, want) {
		t.Errorf("cut log: exit %d, out %q, err %q; want %q", code, out, errOut, want)
	}

	for _, bad := range []string{"nonsense", "0:abc", "4:", "x:abc"} {
		if code, _, errOut := runVerifyLog(path, "--expect", bad); code != ExitUsage || !strings.Contains(errOut, "SEQ:HASH") {
			t.Errorf("--expect %q: exit %d, err %q", bad, code, errOut)
		}
	}
}
