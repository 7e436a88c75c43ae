package report

import (
	"context"
	"testing"

	"runway/runbook/session"
	"runway/ui/internal/fixture"
)

const notifiedRunbook = `version: 1
name: notified
notify:
  channels:
    team: {type: command, run: "cat > notice.json"}
  routes:
    - {events: [phase_passed, session_closed], channels: [team]}
phases:
  - {id: one, title: One, items: [{id: a, title: A, command: {run: "true"}}]}
`

func TestReportListsNotificationChannels(t *testing.T) {
	s, path := startSession(t, t.TempDir(), notifiedRunbook, session.Options{Operator: "alice", Host: "h"})
	fixture.Do(t, s, session.RunPhase{Phase: "one"})
	if err := s.Close(context.Background()); err != nil { // gives the queued notices their delivery
		t.Fatal(err)
	}
	r, err := Build(context.Background(), path, s.ID())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Notifications) != 1 || r.Notifications[0].Channel != "team" || r.Notifications[0].Sent != 2 || !r.Notifications[0].LastOK {
		t.Fatalf("notifications = %+v", r.Notifications)
	}
	mustContain(t, "markdown", render(t, r, "markdown"), "## Notifications (1)", "| team | 2 | 0 | 0 |")
	mustContain(t, "html", render(t, r, "html"), `<h2 id="notifications">Notifications (1)</h2>`, "<td>team</td><td>2</td>")
	mustContain(t, "json", render(t, r, "json"), `"notifications": [`, `"channel": "team"`)
}
