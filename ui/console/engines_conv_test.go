package console

import (
	"strings"
	"testing"
	"time"

	"runway/engine"
	"runway/runbook"
	"runway/runbook/event"
)

// withCompare is the orders runbook with a compare item at the end of the pilot.
func withCompare() *fakeCore {
	rb := orders()
	rb.Phases[1].Items = append(rb.Phases[1].Items, runbook.Item{ID: "sums", Title: "Daily sums agree",
		Spec: runbook.Spec{Compare: &runbook.Compare{Old: runbook.Query{Conn: "legacy", Query: "SELECT d, SUM(a) FROM o GROUP BY d"},
			New: runbook.Query{Conn: "new", Query: "SELECT d, SUM(a) FROM o GROUP BY d"}, Key: []string{"d"}, MinMatch: 0.9}}})
	return newFake(rb)
}

// TestCompareShowsItsMatchRate: a finished compare shows its match rate
// and how many rows differ where other engines draw a bar; it has no total
// to fill one, so the bar was always empty.
func TestCompareShowsItsMatchRate(t *testing.T) {
	f := withCompare()
	f.emit("alice", event.KindPhaseStarted, "preparation", "", nil)
	f.emit("alice", event.KindItemStarted, "pilot", "sums", event.StartedPayload{Kind: "compare", Attempt: 1})
	f.setLive("sums", engine.Progress{Engine: "compare", Table: "query", Done: 120, Note: "matching rows"})
	m := newModel(t, f, 80, 24)
	m.phase, m.item = 1, 3
	m = refresh(m, f)
	v := m.View()
	if !strings.Contains(v, "query  120 rows") || strings.Contains(v, "░") {
		t.Errorf("a running compare does not show the rows read without a bar:\n%s", v)
	}
	rate := 0.982
	f.setLive("sums")
	f.emit("alice", event.KindEngineProgress, "pilot", "sums", event.ProgressPayload{Table: "query", Done: 167})
	f.emit("alice", event.KindItemPassed, "pilot", "sums", event.ResultPayload{Attempt: 1, Summary: "164 of 167 rows match",
		Engine: &event.EngineSummary{MatchRate: &rate, DiffCount: 3, Tables: []event.TableSummary{{Table: "query", Rows: 167, Different: 3}}}})
	m = refresh(m, f)
	v = m.View()
	if !strings.Contains(v, "query  98.2% match, 3 different") {
		t.Errorf("a finished compare does not show its match rate in place of the bar:\n%s", v)
	}
}

// TestCatchupTrend: a running catch-up shows its pending changes with a
// sparkline of the last samples, taken once a second.
func TestCatchupTrend(t *testing.T) {
	f := catchingUp()
	m := newModel(t, f, 120, 40)
	m.phase, m.item = 2, 0
	for i, pending := range []int64{4000, 3000, 3000, 2000, 1000, 0} {
		f.setLive("catchup", engine.Progress{Engine: "catchup", Table: "change_log", Done: 10000, Total: 10000 + pending, RowsPerSec: 500})
		at := clock.Add(time.Duration(i+1) * time.Second) // newModel sampled at clock
		m = step(m, liveMsg{at: at, live: f.Live()})
		// A tick within the same second takes no sample.
		f.setLive("catchup", engine.Progress{Engine: "catchup", Table: "change_log", Done: 10000, Total: 99999, RowsPerSec: 500})
		m = step(m, liveMsg{at: at.Add(100 * time.Millisecond), live: f.Live()})
	}
	v := m.View()
	if !strings.Contains(v, "pending 0 ▃█▆▆▅▃▁ last 6s") {
		t.Errorf("no pending trend under the catch-up:\n%s", v)
	}
	f.setLive("catchup")
	m = step(m, liveMsg{at: clock.Add(10 * time.Second), live: f.Live()})
	if v := m.View(); strings.Contains(v, "last 6s") {
		t.Errorf("the trend stays once the catch-up stopped:\n%s", v)
	}
}

func TestSparkline(t *testing.T) {
	for _, tt := range []struct {
		in   []int64
		want string
	}{
		{[]int64{0, 0}, "▁▁"},
		{[]int64{0, 7, 14}, "▁▅█"},
		{[]int64{5, 5, 5}, "███"},
	} {
		if got := sparkline(tt.in); got != tt.want {
			t.Errorf("sparkline(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
