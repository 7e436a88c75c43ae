package watch

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"runway/runbook/session"
	"runway/ui/internal/fixture"
)

// TestWatchShowsPendingApproval: a watcher sees a two-person override that
// waits as its own state (header and banner), since when, and the command
// that approves it; it is not offered override, retry or withdraw.
func TestWatchShowsPendingApproval(t *testing.T) {
	d := startDriver(t, t.TempDir(), fixture.TwoPersonOverride)
	d.do(t, session.RunPhase{Phase: "one", Actor: "alice"})
	d.do(t, session.Override{Item: "b", Reason: "vendor confirmed", Actor: "alice"})
	src, err := Open(context.Background(), d.path, d.sess.ID(), Options{Every: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	eventually(t, "caught up", func() bool { return caughtUp(src, d.sess) })

	const hint = "approve from another login: runway approve s1 --audit /srv/runway.db"
	m := New(src, ModelOptions{Renderer: asciiRenderer(), AuditPath: d.path, Approve: hint})
	defer m.Release()
	next, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 24})
	m = next.(Model)
	view := m.View()
	since := d.sess.State().Pending.At.Local().Format("15:04")
	for _, want := range []string{
		"state: ⚑ waiting for an approver (watching, read-only)",
		"⚑ WAITING FOR AN APPROVER since " + since + " · override of one/b requested by alice: vendor confirmed",
		hint,
	} {
		if !strings.Contains(view, want) {
			t.Errorf("no %q on the watcher's screen:\n%s", want, view)
		}
	}
	if strings.Contains(view, "override ·") || strings.Contains(view, "retry") || strings.Contains(view, "withdraw") {
		t.Errorf("the watcher is offered override, retry or withdraw:\n%s", view)
	}
	if testing.Verbose() {
		t.Logf("\n%s", view)
	}
	// The watcher's terminal title says so too.
	if got := m.Console().WindowTitle(); got != "runway ⚑ WAITING FOR AN APPROVER one/b" {
		t.Errorf("title %q", got)
	}
}
