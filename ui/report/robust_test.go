package report

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"runway/runbook/audit"
)

// TestReportWithoutAReadableRunbook: a session whose stored runbook no
// longer parses, with garbled and unknown events, still gets a report that
// says why the phases are missing and lists every event.
func TestReportWithoutAReadableRunbook(t *testing.T) {
	path := filepath.Join(t.TempDir(), "runway.db")
	log, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	info, err := log.CreateSession(audit.SessionInfo{Runbook: "old", RunbookText: []byte("version: 1\nphases: [\n"),
		Operator: "erin", Started: start})
	if err != nil {
		t.Fatal(err)
	}
	a := &appender{t: t, log: log, id: info.ID, at: start}
	a.add("erin", "item.failed", "p", "i", map[string]any{"attempt": "three", "output": 42})
	a.add("erin", "item.overridden", "p", "i", map[string]any{"reason": "known issue"})
	a.add("erin", "shiny.new.kind", "", "", map[string]any{"colour": "blue"})
	log.Close()

	r, err := Build(context.Background(), path, info.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Runbook.Problem == "" || len(r.Phases) != 0 {
		t.Errorf("runbook problem %q, phases %d", r.Runbook.Problem, len(r.Phases))
	}
	if len(r.Timeline) != 4 || r.Timeline[3].Text != "session shiny.new.kind: colour=blue" {
		t.Errorf("timeline = %+v", r.Timeline)
	}
	if len(r.Failures) != 1 || len(r.Overrides) != 1 || r.Overrides[0].Reason != "known issue" || r.Overrides[0].RequestedBy != "erin" {
		t.Errorf("failures %+v, overrides %+v", r.Failures, r.Overrides)
	}
	for _, format := range Formats {
		out := render(t, r, format)
		mustContain(t, format, out, "known issue", "shiny.new.kind")
		if format != "json" && !strings.Contains(out, "could not be read again") {
			t.Errorf("%s report does not say the runbook could not be read", format)
		}
	}
}
