package report

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"runway/runbook/audit"
)

// Every format says which build ran each part of a session: the one that
// opened it and the one that resumed it.
func TestReportShowsTheBuildOfEachPart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "runway.db")
	log, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	info, err := log.CreateSession(audit.SessionInfo{Runbook: "two-builds", Operator: "alice", Host: "ops-1", Started: start})
	if err != nil {
		t.Fatal(err)
	}
	a := &appender{t: t, log: log, id: info.ID, at: start}
	a.add("bob", "session.resumed", "", "", map[string]any{"operator": "bob", "host": "ops-2", "build": "v9.9.9 0123456789ab+dirty"})
	log.Close()

	r, err := Build(context.Background(), path, info.ID)
	if err != nil {
		t.Fatal(err)
	}
	parts := r.Session.Parts
	if len(parts) != 2 || parts[0].How != "opened" || parts[0].Build != audit.Build() || parts[0].Operator != "alice" ||
		parts[1].How != "resumed" || parts[1].Build != "v9.9.9 0123456789ab+dirty" || parts[1].Operator != "bob" || r.Session.Resumes != 1 {
		t.Fatalf("parts = %+v, resumes %d", parts, r.Session.Resumes)
	}
	for _, format := range Formats {
		out := strings.ReplaceAll(render(t, r, format), "&#43;", "+") // html/template escapes '+'
		mustContain(t, format, out, "v9.9.9 0123456789ab+dirty", audit.Build())
		if format != "json" && !strings.Contains(out, "Builds") {
			t.Errorf("%s report has no Builds entry", format)
		}
	}
}
