package report

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"runway/runbook/audit"
	"runway/runbook/event"
)

// forgedLog writes a closed session (alice on ops, stopped) and a running
// one, then rewrites both sessions rows the way someone with the file would.
func forgedLog(t *testing.T) (path, closed, running string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "runway.db")
	l, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	var ids [2]string
	for i := range ids {
		s, err := l.CreateSession(audit.SessionInfo{Runbook: "engines", RunbookText: []byte(engineRunbook),
			Operator: "alice", Host: "ops", Started: start.Add(time.Duration(i) * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = s.ID
	}
	a := &appender{t: t, log: l, id: ids[0], at: start.Add(time.Hour)}
	a.add("alice", event.KindSessionClosed, "", "", event.ClosedPayload{Status: "stopped"})
	if err := l.SetSessionStatus(ids[0], "stopped", a.at); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE sessions SET operator = 'mallory', host = 'laptop', status = 'passed'`); err != nil {
		t.Fatal(err)
	}
	return path, ids[0], ids[1]
}

func TestReportTakesOperatorFromTheChain(t *testing.T) {
	path, closed, _ := forgedLog(t)
	r, err := Build(context.Background(), path, closed)
	if err != nil {
		t.Fatal(err)
	}
	if s := r.Session; s.Operator != "alice" || s.Host != "ops" || s.Status != "stopped" {
		t.Errorf("session = %q on %q, %q; want alice on ops, stopped (from its events)", s.Operator, s.Host, s.Status)
	}
	if r.Chain.OK || !strings.Contains(r.Chain.Summary, "operator in the sessions table does not match") {
		t.Errorf("chain = %+v, want the forgery named", r.Chain)
	}
	md := render(t, r, "md")
	if strings.Contains(md, "mallory") || strings.Contains(md, "laptop") {
		t.Errorf("the markdown report shows the forged row:\n%s", md)
	}
}

func TestListSessionsTakesOperatorFromTheChain(t *testing.T) {
	path, closed, running := forgedLog(t)
	l, err := audit.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	rows, err := ListSessions(context.Background(), l)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		closed:  "alice ops stopped",
		running: "alice ops running", // never closed
	}
	for _, r := range rows {
		if got := r.Operator + " " + r.Host + " " + r.Status; got != want[r.ID] {
			t.Errorf("session %s: %q, want %q", r.ID, got, want[r.ID])
		}
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
}
