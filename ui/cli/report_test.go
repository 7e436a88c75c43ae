package cli

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"runway/runbook/audit"
	"runway/ui/report"
)

const reportRunbook = `version: 1
name: tiny
title: A tiny migration
phases:
  - id: prep
    title: Preparation
    risk: low
    expected: 1h
    items:
      - {id: up, title: Target up, critical: true, command: {run: "false"}}
      - {id: ok, title: DBA agrees, manual: {role: dba, expect: "backups fine", observe: true}}
`

// reportFixture writes a log with two sessions of the tiny runbook; the
// newer one has a failure, an override and a sign-off. It returns the path
// and the ids, older first.
func reportFixture(t *testing.T) (string, [2]string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "runway.db")
	l, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var ids [2]string
	start := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	for i := range ids {
		s, err := l.CreateSession(audit.SessionInfo{Runbook: "tiny", RunbookPath: "/srv/tiny.yaml",
			RunbookText: []byte(reportRunbook), Operator: "alice", Host: "ops", Started: start.Add(time.Duration(i) * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = s.ID
	}
	at := start.Add(time.Hour)
	add := func(actor, kind, item, payload string) {
		t.Helper()
		at = at.Add(time.Second)
		e := audit.Event{Session: ids[1], Time: at, Actor: actor, Kind: kind, Phase: "prep", Item: item}
		if payload != "" {
			e.Payload = []byte(payload)
		}
		if _, err := l.Append(e); err != nil {
			t.Fatal(err)
		}
	}
	add("alice", "phase.started", "", "")
	add("alice", "item.started", "up", `{"kind":"command","attempt":1}`)
	add("alice", "item.failed", "up", `{"attempt":1,"summary":"exit 1, expected 0","output":"no route to host","critical":true}`)
	add("alice", "item.overridden", "up", `{"reason":"reached it from the bastion","policy":"reason","requested_by":"alice"}`)
	add("alice", "item.awaiting", "ok", "")
	add("dave", "item.passed", "ok", `{"attempt":0,"summary":"pass","signoff":{"operator":"dave","role":"dba","observation":"last night's backup restored","at":"2026-05-01T10:00:09Z"}}`)
	add("dave", "phase.passed", "", "")
	// Closed as the executor closes: the event, then the row's status.
	at = at.Add(time.Second)
	if _, err := l.Append(audit.Event{Session: ids[1], Time: at, Actor: "alice", Kind: "session.closed", Payload: []byte(`{"status":"passed"}`)}); err != nil {
		t.Fatal(err)
	}
	if err := l.SetSessionStatus(ids[1], "passed", at); err != nil {
		t.Fatal(err)
	}
	return path, ids
}

func runCLI(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := Execute(args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestReportFormatsOfTheLatestSession(t *testing.T) {
	path, ids := reportFixture(t)
	for _, format := range report.Formats {
		code, out, errOut := runCLI("report", "--audit", path, "--format", format)
		if code != ExitOK || errOut != "" {
			t.Fatalf("%s: exit %d, stderr %q", format, code, errOut)
		}
		for _, want := range []string{ids[1], "no route to host", "reached it from the bastion", "dave", "dba", "last night", "hash chain intact"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s report lacks %q", format, want)
			}
		}
	}
	code, out, _ := runCLI("report", ids[0], "--audit", path, "--format", "json")
	var r report.Report
	if code != ExitOK || json.Unmarshal([]byte(out), &r) != nil || r.Session.ID != ids[0] || len(r.Failures) != 0 {
		t.Errorf("report of the older session: exit %d, id %q, failures %d", code, r.Session.ID, len(r.Failures))
	}
}

func TestReportToFile(t *testing.T) {
	path, ids := reportFixture(t)
	file := filepath.Join(t.TempDir(), "postmortem.html")
	code, out, errOut := runCLI("report", "--audit", path, "--format", "html", "-o", file)
	if code != ExitOK || errOut != "" || !strings.Contains(out, file) {
		t.Fatalf("exit %d, out %q, err %q", code, out, errOut)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "<!doctype html>") || !strings.Contains(string(b), ids[1]) {
		t.Errorf("file holds %.80q", b)
	}
}

func TestReportOfATamperedLog(t *testing.T) {
	path, _ := reportFixture(t)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER events_no_update`,
		`UPDATE events SET payload = replace(payload, 'bastion', 'moon') WHERE kind = 'item.overridden'`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	code, out, errOut := runCLI("report", "--audit", path)
	if code != ExitStopped || !strings.Contains(out, "TAMPERED: event") || !strings.Contains(errOut, "TAMPERED: event") {
		t.Errorf("exit %d, stderr %q, report has the tamper result: %v", code, errOut, strings.Contains(out, "TAMPERED"))
	}
}

func TestSessionsTable(t *testing.T) {
	path, ids := reportFixture(t)
	code, out, errOut := runCLI("sessions", "--audit", path)
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, err %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("want a header and two sessions:\n%s", out)
	}
	head := lines[0]
	for _, col := range []string{"ID", "RUNBOOK", "OPERATOR", "STARTED", "ENDED", "STATUS", "EVENTS"} {
		if !strings.Contains(head, col) {
			t.Errorf("header %q lacks %s", head, col)
		}
	}
	// Newest first, aligned under the header, with event counts.
	if !strings.HasPrefix(lines[1], ids[1]) || !strings.HasPrefix(lines[2], ids[0]) {
		t.Errorf("order:\n%s", out)
	}
	col := strings.Index(head, "STATUS")
	if !strings.HasPrefix(lines[1][col:], "passed") || !strings.HasPrefix(lines[2][col:], "running") {
		t.Errorf("STATUS column not aligned:\n%s", out)
	}
	if !strings.HasSuffix(lines[1], " 9") || !strings.HasSuffix(lines[2], " 1") {
		t.Errorf("event counts:\n%s", out)
	}
	code, out, _ = runCLI("sessions", "--audit", path, "--json")
	var rows []report.SessionRow
	if code != ExitOK || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 2 || rows[0].Events != 9 {
		t.Errorf("--json: exit %d, %s", code, out)
	}
}
