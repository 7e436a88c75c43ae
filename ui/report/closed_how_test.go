package report

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"runway/runbook/audit"
	"runway/runbook/event"
)

// A session closed by a hang-up or a signal says so at the top of its
// report, not that the operator quit.
func TestOutcomeSaysWhatClosedTheSession(t *testing.T) {
	cases := []struct {
		closed event.ClosedPayload
		want   string
	}{
		{event.ClosedPayload{Status: "hangup", Reason: "the terminal hung up (SIGHUP)"}, "closed by a hang-up before the end, in phase full: the terminal hung up (SIGHUP); continue it with: runway resume "},
		{event.ClosedPayload{Status: "interrupted"}, "closed by a signal before the end, in phase full; continue it with: runway resume "},
		{event.ClosedPayload{Status: "quit"}, "quit before the end, in phase full; continue it with: runway resume "},
	}
	for _, c := range cases {
		path := filepath.Join(t.TempDir(), "runway.db")
		log, err := audit.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Date(2026, 3, 14, 22, 0, 0, 0, time.UTC)
		info, err := log.CreateSession(audit.SessionInfo{Runbook: "engines", RunbookText: []byte(engineRunbook),
			Operator: "alice", Host: "ops-1", Started: start})
		if err != nil {
			t.Fatal(err)
		}
		a := &appender{t: t, log: log, id: info.ID, at: start}
		a.add("alice", event.KindPhaseStarted, "full", "", nil)
		a.add("alice", event.KindSessionClosed, "", "", c.closed)
		if err := log.SetSessionStatus(info.ID, c.closed.Status, a.at); err != nil {
			t.Fatal(err)
		}
		log.Close()
		r, err := Build(context.Background(), path, info.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Session.Outcome; got != c.want+info.ID {
			t.Errorf("%s: outcome %q, want %q", c.closed.Status, got, c.want+info.ID)
		}
		if md := render(t, r, "md"); !strings.Contains(md, c.want) {
			t.Errorf("%s: the markdown report does not say %q", c.closed.Status, c.want)
		}
	}
}
