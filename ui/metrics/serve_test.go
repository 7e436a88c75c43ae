package metrics

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

func TestListenLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:0", "[::1]:0", "localhost:0"} {
		ln, err := Listen(addr, false)
		if err != nil {
			if strings.Contains(addr, "::1") { // a machine without IPv6
				t.Logf("%s: %v", addr, err)
				continue
			}
			t.Errorf("Listen(%s): %v", addr, err)
			continue
		}
		ln.Close()
	}
	for _, addr := range []string{":0", "0.0.0.0:0", "10.1.2.3:9464", "nohost"} {
		if ln, err := Listen(addr, false); err == nil {
			ln.Close()
			t.Errorf("Listen(%s) accepted a non-loopback address", addr)
		} else if !strings.Contains(err.Error(), "metrics address "+addr) {
			t.Errorf("Listen(%s): %v", addr, err)
		}
	}
	ln, err := Listen(":0", true)
	if err != nil {
		t.Fatalf("Listen(:0, public): %v", err)
	}
	ln.Close()
}

// A scrape of /metrics over HTTP returns the session's series in the
// exposition format Prometheus reads.
func TestServeScrape(t *testing.T) {
	ln, err := Listen("127.0.0.1:0", false)
	if err != nil {
		t.Fatal(err)
	}
	stop := Serve(ln, stopped())
	defer stop()
	resp, err := http.Get("http://" + ln.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, body)
	}
	stopF, ok := families["runway_stop"]
	if !ok || stopF.GetMetric()[0].GetGauge().GetValue() != 1 {
		t.Errorf("runway_stop: %v", stopF)
	}
	for _, name := range []string{"runway_session_status", "runway_phase_status", "runway_items", "runway_engine_rows_done",
		"runway_engine_rows_total", "runway_engine_rows_per_second", "runway_engine_eta_seconds",
		"runway_catchup_pending_rows", "runway_catchup_lag_seconds", "runway_verify_match_ratio", "runway_phase_current"} {
		if _, ok := families[name]; !ok {
			t.Errorf("no %s in the scrape", name)
		}
	}
}
