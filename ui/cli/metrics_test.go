package cli

import (
	"bytes"
	dto "github.com/prometheus/client_model/go"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

const metricsRunbook = `version: 1
name: metered
phases:
  - id: p
    title: P
    items:
      - {id: ok, title: OK, command: {run: "true"}}
      - {id: sign, title: Sign, manual: {role: dba}}
`

// `run --metrics` serves the running session's state: a passed command and
// a sign-off awaited show in a scrape; the endpoint closes with the session.
func TestRunServesMetrics(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeRunbook(t, dir, "metered.yaml", metricsRunbook)
	addr := freeLoopback(t)
	stdin, answer := io.Pipe()
	done := make(chan int, 1)
	var out, errOut bytes.Buffer
	go func() {
		done <- Execute([]string{"run", "metered.yaml", "--plain", "--audit", "m.db", "--metrics", addr}, stdin, &out, &errOut)
	}()

	url := "http://" + addr + "/metrics"
	deadline := time.Now().Add(time.Minute)
	var last string
	for {
		families, err := scrape(url)
		if err == nil && gaugeIs(families, "runway_items", map[string]string{"phase": "p", "status": "passed"}, 1) &&
			gaugeIs(families, "runway_items", map[string]string{"phase": "p", "status": "awaiting_sign-off"}, 1) &&
			gaugeIs(families, "runway_stop", nil, 0) {
			break
		}
		last = fmtErr(err)
		if time.Now().After(deadline) {
			answer.Close()
			t.Fatalf("the scrape never showed the session's state (last: %s)", last)
		}
		time.Sleep(50 * time.Millisecond) // polling, not synchronisation
	}
	answer.Close() // no sign-off: the session closes, resumable
	select {
	case code := <-done:
		if code != ExitStopped {
			t.Errorf("exit %d, want %d\n%s", code, ExitStopped, errOut.String())
		}
	case <-time.After(time.Minute):
		t.Fatal("run did not end when stdin closed")
	}
	if _, err := scrape(url); err == nil {
		t.Error("metrics still served after the session ended")
	}
}

func freeLoopback(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func scrape(url string) (map[string]*dto.MetricFamily, error) {
	client := http.Client{Timeout: 10 * time.Second} // a bound port that nobody serves never answers
	resp, err := client.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	return p.TextToMetricFamilies(resp.Body)
}

// gaugeIs reports whether a series of name whose labels include want has value v.
func gaugeIs(families map[string]*dto.MetricFamily, name string, want map[string]string, v float64) bool {
	f, ok := families[name]
	if !ok {
		return false
	}
	for _, m := range f.GetMetric() {
		match := 0
		for _, l := range m.GetLabel() {
			if want[l.GetName()] == l.GetValue() {
				match++
			}
		}
		if match == len(want) && m.GetGauge().GetValue() == v {
			return true
		}
	}
	return false
}

func fmtErr(err error) string {
	if err == nil {
		return "values not there yet"
	}
	return strings.TrimSpace(err.Error())
}
