package report

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"runway/runbook/event"
	"runway/runbook/session"
)

const guardedRunbook = `version: 1
name: guarded
guards:
  - {id: level, title: Level file, command: {run: "cat level"}, every: 1s, warn: "> 1", critical: "> 5"}
phases:
  - {id: one, title: One, items: [{id: a, title: A, manual: {}}]}
`

func TestReportListsGuardBreachesAndRecoveries(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("level", "0\n")
	tick := make(chan time.Time)
	s, path := startSession(t, dir, guardedRunbook, session.Options{Operator: "alice", Host: "h",
		GuardTicker: func(time.Duration) (<-chan time.Time, func()) { return tick, func() {} }})
	waitState := func(want string) {
		deadline := time.Now().Add(30 * time.Second)
		for {
			st := s.State()
			if g := st.Guard("level"); g != nil && g.State == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("guard never %s: %+v", want, st.Guards)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	write("level", "9\n")
	tick <- time.Now()
	waitState(event.GuardCritical)
	write("level", "0\n")
	tick <- time.Now()
	waitState(event.GuardOK)
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	r, err := Build(context.Background(), path, s.ID())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Guards) != 1 || len(r.Guards[0].Changes) != 2 || r.Guards[0].Changes[0].Value != "9" || r.Guards[0].Changes[1].To != "ok" {
		t.Fatalf("guards = %+v", r.Guards)
	}
	mustContain(t, "markdown", render(t, r, "markdown"), "## Guards (1)", "| ok → critical | 9 | > 5 | guard:level |", "| critical → ok | 0 |")
	mustContain(t, "html", render(t, r, "html"), `<h2 id="guards">Guards (1)</h2>`, "ok → critical")
	mustContain(t, "json", render(t, r, "json"), `"guards": [`, `"threshold": "> 5"`)
}
