package checks

import (
	"context"
	"fmt"
	"testing"
	"time"

	"runway/checks/promtest"
	"runway/runbook"
)

func TestAlertmanagerReceivesAndResolvesTheStop(t *testing.T) {
	base := promtest.Alertmanager(t)
	ch := &runbook.Channel{Name: "pager", Type: runbook.ChannelAlertmanager, URL: base + "/"}
	n := stopNotice
	n.Session, n.Time = "s-1", time.Now().UTC()
	if res := Deliver(context.Background(), Env{}, ch, n); !res.Passed {
		t.Fatalf("deliver: %+v", res)
	}
	alerts := stopAlerts(t, base)
	want := map[string]string{"alertname": "runway_stop", "severity": "critical", "session": "s-1", "phase": "pilot", "item": "verify", "runbook": "orders"}
	if len(alerts) != 1 || fmt.Sprint(alerts[0].Labels) != fmt.Sprint(want) {
		t.Fatalf("alerts %+v, want one with labels %v", alerts, want)
	}
	n.Resolved, n.Time = true, time.Now().UTC()
	if res := Deliver(context.Background(), Env{}, ch, n); !res.Passed {
		t.Fatalf("resolve: %+v", res)
	}
	if alerts := stopAlerts(t, base); len(alerts) != 0 { // Alertmanager lists no resolved alert
		t.Errorf("after the resolve: %+v", alerts)
	}
}

// stopAlerts reads runway_stop alerts back through Alertmanager's API.
func stopAlerts(t *testing.T, base string) []promtest.Alert {
	t.Helper()
	alerts, err := promtest.Alerts(base, "runway_stop")
	if err != nil {
		t.Fatal(err)
	}
	return alerts
}

func TestAlertResolveSendsEndsAt(t *testing.T) {
	n := stopNotice
	if a := alertOf(n); a.EndsAt != nil || a.Labels["alertname"] != "runway_stop" {
		t.Errorf("firing alert %+v", a)
	}
	n.Resolved = true
	if a := alertOf(n); a.EndsAt == nil || !a.EndsAt.Equal(n.Time) {
		t.Errorf("resolved alert %+v", a)
	}
}
