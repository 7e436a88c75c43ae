package watch

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"runway/checks"
	"runway/runbook/audit"
	"runway/runbook/fold"
	"runway/runbook/session"
)

// TestFollowsADrivenSession drives a real session with command items and a
// sign-off, and watches it through a read-only handle of its own: the
// watcher's fold catches up after every step and ends equal to the
// driver's, and a close is reported as such.
func TestFollowsADrivenSession(t *testing.T) {
	d := startDriver(t, t.TempDir(), smallRunbook)
	src, err := Open(context.Background(), d.path, "", Options{Every: 20 * time.Millisecond, Probe: 20 * time.Millisecond, countSelf: true})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.Info().ID != d.sess.ID() {
		t.Fatalf("picked session %s, want the running %s", src.Info().ID, d.sess.ID())
	}
	wake, stop := src.Subscribe()
	defer stop()

	d.do(t, session.RunPhase{Phase: "prep"})
	select {
	case <-wake:
	case <-time.After(20 * time.Second):
		t.Fatal("no wake-up after the driver's events")
	}
	eventually(t, "the watcher catches up with the phase run", func() bool { return caughtUp(src, d.sess) })
	if got := src.State().Item("prep", "backups").Status; got != fold.ItemAwaiting {
		t.Fatalf("watcher sees backups %s, want awaiting sign-off", got)
	}
	if got := src.State().Item("prep", "optional").Status; got != fold.ItemFailed {
		t.Fatalf("watcher sees optional %s, want failed", got)
	}
	eventually(t, "the driver (this process) is seen running", func() bool { return src.Driver().State == DriverRunning })

	d.do(t, session.SignOff{Item: "backups", Actor: "bob", SignOff: checks.SignOff{Verdict: checks.Pass, At: time.Now()}})
	d.do(t, session.Note{Text: "pilot next"})
	eventually(t, "the watcher catches up with the sign-off", func() bool { return caughtUp(src, d.sess) })
	st := src.State()
	if len(st.Notes) != 1 || st.Notes[0].Text != "pilot next" {
		t.Fatalf("watcher's notes: %+v", st.Notes)
	}

	if err := d.sess.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the close is reported", func() bool { return src.Driver().State == DriverClosed })
	if drv := src.Driver(); drv.Closed != "quit" || !strings.Contains(drv.String(), "closed the session (quit)") {
		t.Fatalf("driver status after close: %+v %q", drv, drv.String())
	}
	// Nothing but the driver wrote: the watcher's fold is the log's.
	l, err := audit.OpenReadOnly(d.path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	events, err := l.Events(context.Background(), d.sess.ID(), 0)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the watcher folds the close", func() bool { return src.State().Seq == events[len(events)-1].Seq })
	if want := fold.Fold(src.Runbook(), events); !reflect.DeepEqual(src.State(), want) {
		t.Fatalf("watcher's state differs from the fold of the log:\n got %+v\nwant %+v", src.State(), want)
	}
}

// TestPicksTheLatestRunningSession: without an id the newest running
// session is followed; with none running the error names the latest.
func TestPicksTheLatestRunningSession(t *testing.T) {
	d := startDriver(t, t.TempDir(), smallRunbook)
	l, err := audit.OpenReadOnly(d.path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	info, latest, err := Pick(context.Background(), l, "", true)
	if err != nil || !latest || info.ID != d.sess.ID() {
		t.Fatalf("Pick = %s %v %v, want %s latest", info.ID, latest, err, d.sess.ID())
	}
	if err := d.sess.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, _, err = Pick(context.Background(), l, "", true)
	if err == nil || !strings.Contains(err.Error(), "no running session") || !strings.Contains(err.Error(), d.sess.ID()) {
		t.Fatalf("Pick with none running: %v", err)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Fatalf("error is not one line: %q", err)
	}
	if info, latest, err := Pick(context.Background(), l, "", false); err != nil || !latest || info.ID != d.sess.ID() {
		t.Fatalf("Pick latest of all = %s %v %v", info.ID, latest, err)
	}
	if _, _, err := Pick(context.Background(), l, "nope", true); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("Pick of an unknown id: %v", err)
	}
}
