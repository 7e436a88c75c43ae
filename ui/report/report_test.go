package report

import (
	"context"
	"database/sql"
	"encoding/json"
	"html"
	"strings"
	"testing"

	"runway/runbook/fold"
)

// TestEveryFormatHoldsTheRecord builds the report of a real session and
// checks that each format carries every failure with its output, every
// override with its reason and approver, every sign-off with who, role and
// observation, the rollback, and the hash-chain result.
func TestEveryFormatHoldsTheRecord(t *testing.T) {
	path, id := demoSession(t)
	r, err := Build(context.Background(), path, "")
	if err != nil {
		t.Fatal(err)
	}
	if r.Session.ID != id {
		t.Fatalf("latest session is %s, want %s", r.Session.ID, id)
	}
	checkModel(t, r)
	if !timelineHas(r, "Shell works: process: group ") {
		t.Error("the timeline does not say which process group the command ran as")
	}

	// What each format must show, in its own escaping.
	want := []string{
		"hash chain intact", overrideReason, "alice", "bob", "dba", observation,
		"target-up", "pilot-check", pilotFailOutput, "prep_done", noteText, "${LEGACY_DSN}",
	}
	for _, format := range Formats {
		out := render(t, r, format)
		mustContain(t, format, out, want...)
		if strings.Contains(out, "hunter2secret") {
			t.Errorf("%s report shows the secret DSN", format)
		}
		switch format {
		case "html":
			mustContain(t, format, out, html.EscapeString(failOutput), "<details>")
			if strings.Contains(out, "<b>new-db</b>") {
				t.Error("html report lets recorded output through unescaped")
			}
			for _, bad := range []string{"<script", "http://", "https://", "<link", "@import"} {
				if strings.Contains(out, bad) {
					t.Errorf("html report is not self-contained: it holds %q", bad)
				}
			}
		case "md":
			mustContain(t, format, out, failOutput, "```yaml", "# Postmortem: Move orders to the new store")
		case "json":
			var back Report
			if err := json.Unmarshal([]byte(out), &back); err != nil {
				t.Fatalf("json report does not read back: %v", err)
			}
			checkModel(t, &back)
			mustContain(t, format, out, `"hash_chain"`, `"requested_by": "alice"`, `"observation": "`+observation+`"`)
		}
	}
}

// checkModel checks the report value itself: the sections every renderer uses.
func checkModel(t *testing.T, r *Report) {
	t.Helper()
	if !r.Chain.OK || !strings.HasPrefix(r.Chain.Summary, "hash chain intact: ") {
		t.Errorf("chain = %+v", r.Chain)
	}
	var sawTarget, sawPilot bool
	for _, f := range r.Failures {
		switch f.Item {
		case "target-up":
			sawTarget = true
			if !strings.Contains(f.Output, failOutput) || !f.Critical || !strings.HasPrefix(f.Resolution, "overridden by alice") {
				t.Errorf("target-up failure = %+v", f)
			}
		case "pilot-check":
			sawPilot = true
			if !strings.Contains(f.Output, pilotFailOutput) || f.Resolution != "rolled back to prep_done" {
				t.Errorf("pilot-check failure = %+v", f)
			}
		}
	}
	if !sawTarget || !sawPilot {
		t.Errorf("failures = %+v", r.Failures)
	}
	if len(r.Overrides) != 1 {
		t.Fatalf("overrides = %+v", r.Overrides)
	}
	if o := r.Overrides[0]; o.Reason != overrideReason || o.RequestedBy != "alice" || o.Outcome != "overridden" || o.Policy != "reason" {
		t.Errorf("override = %+v", o)
	}
	if len(r.SignOffs) != 1 {
		t.Fatalf("sign-offs = %+v", r.SignOffs)
	}
	if s := r.SignOffs[0]; s.Operator != "bob" || s.Role != "dba" || s.Observation != observation ||
		s.Verdict != "pass" || s.Expected != "restore test passed" || s.At.IsZero() {
		t.Errorf("sign-off = %+v", s)
	}
	if len(r.RollbackPoints) != 1 || r.RollbackPoints[0].Name != "prep_done" || !r.RollbackPoints[0].Valid ||
		r.RollbackPoints[0].Actor != "bob" || r.RollbackPoints[0].Seq == 0 || r.RollbackPoints[0].Checksum == "" {
		t.Errorf("rollback points = %+v", r.RollbackPoints)
	}
	if len(r.Notes) != 1 || r.Notes[0].Text != noteText || r.Notes[0].Actor != "alice" || r.Notes[0].Seq == 0 {
		t.Errorf("notes = %+v", r.Notes)
	}
	if len(r.Rollbacks) != 1 || !r.Rollbacks[0].OK || r.Rollbacks[0].Point != "prep_done" {
		t.Fatalf("rollbacks = %+v", r.Rollbacks)
	}
	if steps := r.Rollbacks[0].Steps; len(steps) != 1 || steps[0].Item != "undo-pilot" || steps[0].Status != "passed" {
		t.Errorf("rollback steps = %+v", steps)
	}
	if len(r.Phases) != 2 || r.Phases[0].Status != "passed" || r.Phases[1].Status != "rolled back" {
		t.Fatalf("phases = %+v", r.Phases)
	}
	if p := r.Phases[0]; p.Expected != "1-2h" || p.Actual == "" || !p.Finished || p.OverExpected {
		t.Errorf("prep phase = %+v", p)
	}
	if it := r.Phases[0].Items[1]; it.Status != "overridden" || !it.Critical || it.Attempts != 1 {
		t.Errorf("target-up item = %+v", it)
	}
	names := map[string][]string{}
	for _, p := range r.Participants {
		names[p.Name] = p.Roles
	}
	if !contains(names["alice"], "operator") || !contains(names["bob"], "dba") {
		t.Errorf("participants = %+v", r.Participants)
	}
	if r.Runbook.Problem != "" || len(r.Runbook.Risks) != 1 || r.Runbook.Risks[0].Level != "high" {
		t.Errorf("runbook = problem %q, risks %+v", r.Runbook.Problem, r.Runbook.Risks)
	}
	if r.Session.Operator != "alice" || r.Session.Status != "stopped" && r.Session.Status != "quit" {
		t.Errorf("session = %+v", r.Session)
	}
	if len(r.Timeline) == 0 || r.Timeline[0].Kind != "session.opened" || r.Timeline[len(r.Timeline)-1].Kind != "session.closed" {
		t.Errorf("timeline ends = %+v … %+v", r.Timeline[0], r.Timeline[len(r.Timeline)-1])
	}
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// TestTamperedLogSaysSo changes one recorded payload behind the log's back:
// every format leads with the tamper result naming the event.
func TestTamperedLogSaysSo(t *testing.T) {
	path, _ := demoSession(t)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	// A tamperer with write access removes the append-only guard first.
	if _, err := db.Exec(`DROP TRIGGER events_no_update`); err != nil {
		t.Fatal(err)
	}
	res, err := db.Exec(`UPDATE events SET payload = replace(payload, 'firewalled', 'fine') WHERE kind = 'item.overridden'`)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("tampered with %d rows", n)
	}
	var seq int64
	if err := db.QueryRow(`SELECT seq FROM events WHERE kind = 'item.overridden'`).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	db.Close()

	r, err := Build(context.Background(), path, "")
	if err != nil {
		t.Fatal(err)
	}
	if r.Chain.OK || r.Chain.FirstBad != seq {
		t.Fatalf("chain = %+v, want the fault at event %d", r.Chain, seq)
	}
	want := "TAMPERED: event " + itoa(seq) + ": "
	for _, format := range Formats {
		out := render(t, r, format)
		mustContain(t, format, out, want)
		if strings.Contains(out, "hash chain intact") {
			t.Errorf("%s report of a tampered log says the chain is intact", format)
		}
	}
}

// timelineHas reports whether a timeline entry's text starts with prefix.
func timelineHas(r *Report, prefix string) bool {
	for _, e := range r.Timeline {
		if strings.HasPrefix(e.Text, prefix) {
			return true
		}
	}
	return false
}

// A point a rollback to an earlier one discarded is still listed, in the
// order the session set it, and marked no longer valid.
func TestRollbackPointsListDiscardedOnes(t *testing.T) {
	st := &fold.State{
		RollbackPoints: []fold.RollbackPoint{{Name: "p1", Seq: 2, Actor: "alice"}, {Name: "p3", Seq: 9}},
		Discarded:      []fold.RollbackPoint{{Name: "p2", Seq: 5, Actor: "carol"}},
	}
	got := rollbackPoints(st)
	if len(got) != 3 || got[0].Name != "p1" || !got[0].Valid || got[1].Name != "p2" || got[1].Valid ||
		got[1].Actor != "carol" || got[2].Name != "p3" || !got[2].Valid {
		t.Errorf("points = %+v", got)
	}
}
