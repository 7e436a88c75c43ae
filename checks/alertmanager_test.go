package checks

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"runway/runbook"
)

// startAlertmanager runs Prometheus Alertmanager on a loopback port of its
// own, without clustering, and returns its URL; the test skips when it is
// not installed, unless RUNWAY_REQUIRE_ALERTMANAGER=1.
func startAlertmanager(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("prometheus-alertmanager")
	if err != nil {
		if os.Getenv("RUNWAY_REQUIRE_ALERTMANAGER") == "1" {
			t.Fatal("prometheus-alertmanager not found and RUNWAY_REQUIRE_ALERTMANAGER=1")
		}
		t.Skip("prometheus-alertmanager not installed (apt-get install prometheus-alertmanager)")
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "alertmanager.yml")
	if err := os.WriteFile(conf, []byte("route: {receiver: none}\nreceivers: [{name: none}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "--config.file="+conf, "--storage.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--cluster.listen-address=")
	out, err := os.Create(filepath.Join(dir, "alertmanager.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait(); out.Close() })
	base := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "alertmanager.log"))
			t.Fatalf("alertmanager not ready at %s after 60s: %s", addr, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestAlertmanagerReceivesAndResolvesTheStop(t *testing.T) {
	base := startAlertmanager(t)
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

type amAlert struct {
	Labels map[string]string `json:"labels"`
	EndsAt time.Time         `json:"endsAt"`
	Status struct {
		State string `json:"state"`
	} `json:"status"`
}

// stopAlerts reads runway_stop alerts back through Alertmanager's API.
func stopAlerts(t *testing.T, base string) []amAlert {
	t.Helper()
	resp, err := http.Get(base + "/api/v2/alerts?filter=alertname%3D%22runway_stop%22")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var alerts []amAlert
	if err := json.NewDecoder(resp.Body).Decode(&alerts); err != nil {
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
