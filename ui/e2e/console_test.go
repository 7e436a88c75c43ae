package e2e

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"runway/runbook/audit"
	"runway/ui/internal/termtest"
)

// Deadlines for screens to appear. They bound a wait, they assert no speed:
// a slow shared machine only makes the test take longer.
const (
	quick = 30 * time.Second // a key's effect, a check, a sign-off
	slow  = 3 * time.Minute  // copies, verifies, the catch-up, the soak
)

// TestDemoConsoleFivePhases drives `runway demo` in the console inside tmux
// through all five phases, as an operator would: a critical check that fails
// (its threshold edited in demo.yaml) is overridden with a reason; the core
// pilot is rolled back to pilot_complete and run again; the process is killed
// with SIGKILL in the middle of the full migration and `runway resume`
// continues it to the end. Then the audit log's chain and the data on both
// sides are checked.
func TestDemoConsoleFivePhases(t *testing.T) {
	endToEnd(t)
	work := t.TempDir()
	shop := filepath.Join(work, "shop")
	if out, code := runway(t, work, "", "demo", "--build-only", "--dir", "shop"); code != 0 {
		t.Fatalf("demo --build-only: exit %d\n%s", code, out)
	}
	// The operator raises the history threshold beyond what legacy holds:
	// the first critical check fails.
	editRunbook(t, filepath.Join(shop, "demo.yaml"), `expect: ">= 1000"}`, `expect: ">= 1000000"}`)

	tm := termtest.Tmux(t, work, 80, 24)
	pidFile := filepath.Join(work, "runway.pid")
	writeLauncher(t, work)
	start := func(args string) { tm.Shell("sh launch.sh " + args) }
	start("demo --dir shop")
	tm.WaitFor(`Preparation`, quick)
	tm.WaitFor(`enter run`, quick)
	// A second demo in the same folder is refused while this one is open.
	if out, code := runway(t, work, "", "demo", "--plain", "--dir", "shop"); code != 2 || !strings.Contains(out, "another runway demo (process ") {
		t.Errorf("second demo in an open folder: exit %d, want 2\n%s", code, out)
	}

	// Preparation: the edited check fails and stops the phase.
	runPhase(tm, "")
	tm.WaitFor(`STOPPED · preparation/legacy-orders`, quick)
	tm.Keys("o")
	tm.WaitFor(`Override a failed critical item`, quick)
	tm.Text("history threshold mistyped; 60000 orders is the full history")
	tm.Keys("Enter")
	tm.WaitFor(`Yes, override legacy-orders`, quick)
	tm.Keys("Tab", "Enter")
	tm.WaitFor(`! Legacy database holds`, quick) // at 80 columns the icon stands for "overridden"
	runPhase(tm, "")                             // the rest of the phase
	signOff(tm, "backups", "")
	tm.WaitFor(`✓ Preparation`, quick)

	// Pilot: copies, verify, compare, then support's sign-off with an observation.
	runPhase(tm, "")
	signOff(tm, "pilot-signoff", "orders 5, 10 and 15 show the same amounts and notes")
	tm.WaitFor(`✓ Pilot`, quick)

	// Core pilot, then a rollback to pilot_complete, then the core pilot again.
	runPhase(tm, "")
	signOff(tm, "finance-signoff", "")
	tm.WaitFor(`✓ Core pilot`, quick)
	tm.Keys("b")
	tm.WaitFor(`Rollback points`, quick)
	tm.Keys("Down", "Down") // newest first: core_pilot_complete, then pilot_complete
	tm.WaitFor(`› ↺ pilot_complete`, quick)
	tm.Keys("Enter")
	tm.WaitFor(`Roll back to pilot_complete`, quick)
	tm.Keys("Tab", "Enter")
	tm.WaitFor(`↺ Core pilot`, slow) // ↺ rolled back
	runPhase(tm, "")
	signOff(tm, "finance-signoff", "")
	tm.WaitFor(`✓ Core pilot`, quick)

	// Full migration: killed while the catch-up chases the live writes.
	runPhase(tm, "full-migration")
	tm.WaitFor(`▶ Catch up`, slow)
	// The screen may lag the session: the log says whether the catch-up
	// still runs (it runs for at least its converge_for, 3s), and the kill
	// follows within a moment.
	if last := lastOf(readLog(t, filepath.Join(shop, "runway.db")), "catchup"); last != "item.started" {
		t.Fatalf("the catch-up is no longer running when the screen shows it running: its last event is %s", last)
	}
	killRunway(t, pidFile)
	tm.WaitFor(`runway exited 137`, quick)
	tm.Clear() // nothing the killed console left may pass for the resumed one

	start("resume --audit shop/runway.db")
	tm.WaitFor(`Full migrati`, quick)
	tm.WaitFor(`interrupted`, quick)
	runPhase(tm, "full-migration")
	signOff(tm, "go-no-go", "") // the phase run goes on after a sign-off in its middle
	tm.WaitFor(`✓ Full migrati`, slow)

	// Decommission: the soak, the archive sign-off, retirement.
	runPhase(tm, "")
	signOff(tm, "archive-signoff", "") // the phase run goes on to the retirement
	tm.WaitFor(`✓ Decommission`, slow)
	tm.WaitFor(`state: \S+ passed`, quick)
	tm.Keys("q")
	screen := tm.WaitFor(`runway exited 0`, quick)
	// launch.sh's own line overwrites the start of runway's last lines.
	if !regexp.MustCompile(` passed( with [^(]+)? \(5 of 5 phases\)`).MatchString(screen) {
		t.Errorf("the demo does not end with its outcome:\n%s", screen)
	}

	if out, code := runway(t, work, "", "verify-log", filepath.Join(shop, "runway.db")); code != 0 {
		t.Errorf("verify-log: exit %d\n%s", code, out)
	}
	// The log tells the same story the screens did.
	events := readLog(t, filepath.Join(shop, "runway.db"))
	expectEvent(t, events, "item.failed", "legacy-orders", "")
	expectEvent(t, events, "item.overridden", "legacy-orders", "history threshold mistyped")
	expectEvent(t, events, "rollback.finished", "", `"point":"pilot_complete"`)
	expectEvent(t, events, "item.interrupted", "catchup", "")
	expectEvent(t, events, "session.resumed", "", "")
	expectEvent(t, events, "item.passed", "pilot-signoff", "orders 5, 10 and 15")
	expectEvent(t, events, "session.closed", "", `"status":"passed"`)
	legacy, fresh := filepath.Join(shop, "legacy.db"), filepath.Join(shop, "new.db")
	for _, table := range []string{"merchants", "users", "orders"} {
		if a, b := tableDigest(t, legacy, table), tableDigest(t, fresh, table); a != b {
			t.Errorf("%s differs after the migration: legacy %s, new %s", table, a, b)
		}
	}
}

// readLog returns every event of the only session in the audit log at path.
func readLog(t *testing.T, path string) []audit.Event {
	t.Helper()
	log, err := audit.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	info, err := log.LatestSession(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	events, err := log.Events(context.Background(), info.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	return events
}

// lastOf is the kind of the last item.* event on item (engine telemetry
// left aside), or "none".
func lastOf(events []audit.Event, item string) string {
	kind := "none"
	for _, e := range events {
		if e.Item == item && strings.HasPrefix(e.Kind, "item.") {
			kind = e.Kind
		}
	}
	return kind
}

// expectEvent fails the test unless an event of kind on item ("" = any)
// carries a payload containing text.
func expectEvent(t *testing.T, events []audit.Event, kind, item, text string) {
	t.Helper()
	for _, e := range events {
		if e.Kind == kind && (item == "" || e.Item == item) && strings.Contains(string(e.Payload), text) {
			return
		}
	}
	t.Errorf("no %s event on %q with %q in the audit log", kind, item, text)
}

// signOff waits for item to await its sign-off, signs it as passed (with an
// observation when given) and waits for the dialog to close.
func signOff(tm *termtest.Pane, item, observation string) {
	tm.T().Helper()
	tm.WaitFor(`DETAIL · [a-z-]+/`+regexp.QuoteMeta(item)+`(?s).*awaiting sign-off`, slow)
	tm.Keys("s")
	tm.WaitFor(`Sign off`, quick)
	if observation != "" {
		tm.Text(observation)
	}
	tm.Keys("Enter")
	tm.WaitFor(`sign-off of `+regexp.QuoteMeta(item)+` \(pass\) recorded`, quick)
}

// writeLauncher writes launch.sh, which runs runway with its arguments and
// then reports its exit status. exec keeps the pid it wrote, so the test can
// kill runway itself; after a kill it also gives the terminal back (the
// console had no chance to), so the shell can take the next command.
func writeLauncher(t *testing.T, dir string) {
	t.Helper()
	script := `sh -c 'echo $$ > runway.pid; exec "$0" "$@"' ` + termtest.Binary(t) + ` "$@"
rc=$?
stty sane 2>/dev/null
printf '\033[?1049l\033[?25h\033[?2004l'
echo "runway exited $rc"
`
	if err := os.WriteFile(filepath.Join(dir, "launch.sh"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

// editRunbook replaces old with new in the runbook, failing if old is absent.
func editRunbook(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// killRunway sends SIGKILL to the runway process whose pid the shell wrote.
func killRunway(t *testing.T, pidFile string) {
	t.Helper()
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatalf("pid file %s: %v", pidFile, err)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill -9 %d: %v", pid, err)
	}
}
