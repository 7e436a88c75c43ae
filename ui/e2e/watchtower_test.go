package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"runway/checks/promtest"
	"runway/runbook/audit"
	"runway/ui/internal/termtest"
)

// watchtowerRunbook copies orders at a crawl under a phase guard that asks
// Prometheus for the error ratio the test serves. The team hears of stops
// and breaches on a webhook, a command and Alertmanager; a stop left
// unanswered for 3s goes to on-call too.
const watchtowerRunbook = `version: 1
name: watchtower
title: Guards and notifications, end to end
connections:
  legacy: {driver: sqlite, dsn: "legacy.db"}
  new: {driver: sqlite, dsn: "new.db"}
notify:
  channels:
    team: {type: webhook, url: "${TEAM_HOOK}"}
    script: {type: command, run: "cat >> notices.jsonl"}
    pager: {type: alertmanager, url: "${AM_URL}"}
    oncall: {type: webhook, url: "${ONCALL_HOOK}"}
  routes:
    - {events: [stop, critical_failure, guard_breach], channels: [team, script, pager]}
    - {events: [stop], channels: [team], after: 3s, escalate: [oncall]}
phases:
  - id: preparation
    title: Preparation
    items:
      - {id: channels-tested, title: Notification channels tested, critical: true, notify: {channel: team, message: "runway e2e: channel test"}}
  - id: move
    title: Move the orders
    guards:
      - id: error-rate
        title: Error ratio on the new side
        prom: {url: "${PROM_URL}", query: "max(e2e_error_ratio)"}
        every: 1s
        critical: "> 0.05"
    items:
      - id: copy-orders
        title: Copy the orders
        critical: true
        copy: {from: legacy, to: new, tables: [orders], rate: 100, create: true}
`

// escalateAfter is the route's after: above.
const escalateAfter = 3 * time.Second

// TestGuardBreachReachesTheTeam runs a session under a real Prometheus that
// scrapes both runway's --metrics and the test's own endpoint, and a real
// Alertmanager. The test raises the watched value: the guard's critical
// breach halts the phase and pauses the copy, the team hears of it on every
// channel, the stop escalates after its delay, Prometheus sees the guard's
// state, and all of it is in the audit log and the report. SIGTERM then
// ends the session cleanly and the log's chain verifies.
func TestGuardBreachReachesTheTeam(t *testing.T) {
	endToEnd(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "runway.db")
	am := promtest.Alertmanager(t)
	watched := newWatchedValue(t, "e2e_error_ratio", "0")
	metricsAddr := promtest.FreeAddr(t)
	prom := promtest.Prometheus(t, metricsAddr, watched.addr())
	promtest.WaitForSeries(t, prom, "e2e_error_ratio") // the guard's first query has its sample
	team, oncall := newReceiver(t), newReceiver(t)
	sourceOrders(t, filepath.Join(dir, "legacy.db"), 50000) // 500s at 100 rows/s: still copying when the breach comes
	if err := os.WriteFile(filepath.Join(dir, "watchtower.yaml"), []byte(watchtowerRunbook), 0o644); err != nil {
		t.Fatal(err)
	}

	cmd, out := startRun(t, dir, []string{"TEAM_HOOK=" + team.srv.URL, "ONCALL_HOOK=" + oncall.srv.URL, "AM_URL=" + am, "PROM_URL=" + prom},
		"--audit", db, "--operator", "alice", "run", "--plain", "--metrics", metricsAddr, "watchtower.yaml")
	waitEvent(t, db, "the copy moving rows", func(e audit.Event) bool {
		return e.Kind == "engine.checkpoint" && e.Item == "copy-orders"
	})
	waitEvent(t, db, "the guard sampled ok", func(e audit.Event) bool {
		return e.Kind == "guard.sample" && payload(e)["value"] == "0"
	})

	watched.value.Store("0.2")
	stop := waitEvent(t, db, "the guard's stop", func(e audit.Event) bool {
		return e.Kind == "stop.triggered" && e.Actor == "guard:error-rate"
	})
	checkBreachLogged(t, db)
	checkTeamHeard(t, dir, am, team, oncall)
	escalated := waitEvent(t, db, "the escalation", func(e audit.Event) bool {
		return e.Kind == "notify.escalated" && payload(e)["channel"] == "oncall"
	})
	if waited := escalated.Time.Sub(stop.Time); waited < escalateAfter {
		t.Errorf("the stop escalated %s after it was triggered, before the route's after: %s", waited, escalateAfter)
	}
	waitUntil(t, "Prometheus to scrape runway's guard state", func() bool {
		got, _ := promtest.Query(prom, `runway_guard_state{guard="error-rate",state="critical"} == 1`)
		return len(got) == 1
	})

	endRun(t, cmd, out)
	if !strings.Contains(out.String(), "guard error-rate critical") {
		t.Errorf("plain output lacks the guard's breach:\n%s", out.String())
	}
	checkReport(t, dir, db)
	if got, code := runway(t, dir, "", "verify-log", db); code != 0 {
		t.Errorf("verify-log: exit %d\n%s", code, got)
	}
}

// startRun starts runway in dir with env added; its output goes to the buffer.
func startRun(t *testing.T, dir string, env []string, args ...string) (*exec.Cmd, *syncBuffer) {
	t.Helper()
	out := &syncBuffer{}
	cmd, err := termtest.Start(func() *exec.Cmd {
		c := exec.Command(termtest.Binary(t), args...)
		c.Dir = dir
		c.Env = append(append(os.Environ(), "NO_COLOR=1"), env...)
		c.Stdout, c.Stderr = out, out
		return c
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return cmd, out
}

// endRun ends the session as an operator's SIGTERM would and waits for runway
// to close it.
func endRun(t *testing.T, cmd *exec.Cmd, out *syncBuffer) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(patience):
		t.Fatalf("runway did not end within %s of SIGTERM\n%s", patience, out.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != 1 {
		t.Errorf("exit %d after SIGTERM, want 1 (stopped)\n%s", code, out.String())
	}
}

// checkBreachLogged: the breach, the halted phase and the paused copy are
// events, the pause by the guard itself.
func checkBreachLogged(t *testing.T, db string) {
	t.Helper()
	waitEvent(t, db, "the guard's critical state", func(e audit.Event) bool {
		p := payload(e)
		return e.Kind == "guard.state" && p["guard"] == "error-rate" && p["state"] == "critical" && p["threshold"] == "> 0.05"
	})
	waitEvent(t, db, "the phase halted", func(e audit.Event) bool {
		return e.Kind == "phase.halted" && e.Phase == "move"
	})
	waitEvent(t, db, "the copy paused by the guard", func(e audit.Event) bool {
		return e.Kind == "engine.control" && e.Item == "copy-orders" && e.Actor == "guard:error-rate" && payload(e)["action"] == "pause"
	})
	for _, e := range logEvents(db) {
		if e.Kind == "item.passed" && e.Item == "copy-orders" {
			t.Fatal("the copy finished: it was not running when the breach came")
		}
	}
}

// checkTeamHeard: the webhook got the JSON, the command channel the event
// on its stdin, Alertmanager the alerts, on-call the escalated stop; and
// each delivery is an audit event.
func checkTeamHeard(t *testing.T, dir, am string, team, oncall *receiver) {
	t.Helper()
	waitUntil(t, "the webhook to get the channel test, the breach and the stop", func() bool {
		got, _ := team.got()
		return has(got, "test", "") && has(got, "guard_breach", "error-rate") && has(got, "stop", "")
	})
	waitUntil(t, "the command channel to get the breach and the stop on stdin", func() bool {
		got := jsonLines(t, filepath.Join(dir, "notices.jsonl"))
		return has(got, "guard_breach", "error-rate") && has(got, "stop", "")
	})
	waitUntil(t, "Alertmanager to hold the guard's alert and the stop's", func() bool {
		breach, err1 := promtest.Alerts(am, "runway_guard_breach")
		stop, err2 := promtest.Alerts(am, "runway_stop")
		return err1 == nil && err2 == nil && len(breach) == 1 && breach[0].Labels["guard"] == "error-rate" &&
			breach[0].Labels["severity"] == "critical" && len(stop) == 1 && stop[0].Labels["phase"] == "move"
	})
	waitUntil(t, "on-call to get the escalated stop", func() bool {
		got, _ := oncall.got()
		return len(got) > 0 && got[0].Kind == "stop" && got[0].Escalated
	})
	for _, r := range []*receiver{team, oncall} {
		if _, bad := r.got(); len(bad) > 0 {
			t.Errorf("a webhook got bodies that are not JSON notices: %q", bad)
		}
	}
	got, _ := team.got()
	for _, n := range got {
		if n.Kind == "guard_breach" && (n.Severity != "critical" || n.Phase != "move") {
			t.Errorf("breach notice %+v, want critical in phase move", n)
		}
	}
}

// checkReport: the report (JSON and Markdown) holds the breach, the pause,
// every channel's deliveries and the escalation.
func checkReport(t *testing.T, dir, db string) {
	t.Helper()
	text, code := runway(t, dir, "", "--audit", db, "report", "--format", "json")
	if code != 0 {
		t.Fatalf("report: exit %d\n%s", code, text)
	}
	var r struct {
		Guards []struct {
			ID      string `json:"id"`
			Changes []struct {
				To, Value, Threshold string
			} `json:"changes"`
		} `json:"guards"`
		Notifications []struct {
			Channel string `json:"channel"`
			Sent    int    `json:"sent"`
		} `json:"notifications"`
		Timeline []struct {
			Actor, Kind, Item string
		} `json:"timeline"`
	}
	if err := json.Unmarshal([]byte(text), &r); err != nil {
		t.Fatalf("report JSON: %v\n%s", err, text)
	}
	critical := false
	for _, g := range r.Guards {
		for _, c := range g.Changes {
			critical = critical || (g.ID == "error-rate" && c.To == "critical" && c.Value == "0.2" && c.Threshold == "> 0.05")
		}
	}
	if !critical {
		t.Errorf("the report's guards lack the critical breach: %+v", r.Guards)
	}
	sent := map[string]int{}
	for _, n := range r.Notifications {
		sent[n.Channel] = n.Sent
	}
	for _, ch := range []string{"team", "script", "pager", "oncall"} {
		if sent[ch] == 0 {
			t.Errorf("the report shows nothing sent on %s: %+v", ch, r.Notifications)
		}
	}
	seen := map[string]bool{}
	for _, e := range r.Timeline {
		seen[e.Kind+" "+e.Actor] = true
	}
	for _, want := range []string{"engine.control guard:error-rate", "stop.triggered guard:error-rate", "phase.halted guard:error-rate"} {
		if !seen[want] {
			t.Errorf("the report's timeline lacks %s", want)
		}
	}
	md, _ := runway(t, dir, "", "--audit", db, "report")
	for _, want := range []string{"error-rate", "oncall", "escalated"} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown report lacks %q", want)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for a process writing while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
