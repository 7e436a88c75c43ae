package runbook

import (
	"strings"
	"testing"
	"time"
)

// windowed is head with a window and a tolerance written before version;
// its lines 1 and 2 hold them.
func windowed(window, tolerance, item string) string {
	return "window: " + window + "\ndrift_tolerance: " + tolerance + "\n" + head + item
}

const oneItem = "      - {id: a, title: A, manual: {}}\n"

func TestWindowProblems(t *testing.T) {
	cases := []struct {
		name, text string
		want       []string
	}{
		{"valid", windowed(`{start: "2026-12-06 22:00 Europe/Paris", end: "2026-12-07T04:00:00+01:00"}`, "20%", oneItem), nil},
		{"end before start",
			windowed(`{start: "2026-12-06 22:00 UTC", end: "2026-12-06 21:00 UTC"}`, "20%", oneItem),
			[]string{`rb.yaml:1:46: window: end 2026-12-06T21:00:00Z is not after start 2026-12-06T22:00:00Z`}},
		{"zone-less time",
			windowed(`{start: "2026-12-06 22:00", end: "2026-12-07 04:00 UTC"}`, "20%", oneItem),
			[]string{`rb.yaml:1:17: window start: "2026-12-06 22:00" has no zone (write it after the time: UTC, +01:00 or Europe/Paris)`}},
		{"unparsable time and unknown zone",
			windowed(`{start: tonight, end: "2026-12-07 04:00 Mars/Olympus"}`, "20%", oneItem),
			[]string{
				`rb.yaml:1:17: window start: "tonight" is not a time (use 2026-12-06T22:00:00Z or "2026-12-06 22:00 Europe/Paris")`,
				`rb.yaml:1:31: window end: unknown zone "Mars/Olympus" (use UTC, an offset such as +01:00, or a name such as Europe/Paris)`,
			}},
		{"missing end and unknown field",
			windowed(`{start: "2026-12-06T22:00:00Z", stop: x}`, "20%", oneItem),
			[]string{
				`rb.yaml:1:10: window: missing end`,
				`rb.yaml:1:41: unknown field "stop" in window`,
			}},
		{"bad tolerance",
			windowed(`{start: "2026-12-06T22:00:00Z", end: "2026-12-07T04:00:00Z"}`, "lots", oneItem),
			[]string{`rb.yaml:2:18: drift_tolerance: "lots" is not a number or a percentage (a share of the expected time, such as 25%)`}},
		{"tolerance out of range",
			windowed(`{start: "2026-12-06T22:00:00Z", end: "2026-12-07T04:00:00Z"}`, "-5%", oneItem),
			[]string{`rb.yaml:2:18: drift_tolerance: must be between 0% and 1000%, not -5% (a share of the expected time, such as 25%)`}},
		{"bad item expected",
			head + "      - {id: a, title: A, expected: 2-1h, manual: {}}\n",
			[]string{`rb.yaml:10:37: expected: expected range "2-1h" ends before it starts`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := problemsOf(t, c.text, nil)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

func TestPlanDecoded(t *testing.T) {
	text := windowed(`{start: "2026-12-06 22:00 +01:00", end: "2026-12-07T04:00:00Z"}`, "10%",
		"      - {id: a, title: A, expected: 10-20m, manual: {}}\n")
	rb, err := Parse("rb.yaml", []byte(text), nil)
	if err != nil {
		t.Fatal(err)
	}
	w := rb.Plan.Window
	if w == nil || !w.Start.Equal(time.Date(2026, 12, 6, 21, 0, 0, 0, time.UTC)) || !w.End.Equal(time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC)) {
		t.Errorf("window = %+v", w)
	}
	if rb.Plan.Tolerance != 0.10 {
		t.Errorf("tolerance = %v, want 0.10", rb.Plan.Tolerance)
	}
	if e := rb.Phases[0].Items[0].Expected; e.Min.D() != 10*time.Minute || e.Max.D() != 20*time.Minute {
		t.Errorf("item expected = %+v", e)
	}
	rb, _ = Parse("rb.yaml", []byte(head+oneItem), nil)
	if rb.Plan.Window != nil || rb.Plan.Tolerance != DefaultDriftTolerance {
		t.Errorf("defaults = %+v", rb.Plan)
	}
}
