package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"runway/runbook/audit"
	"runway/ui/internal/fixture"
	"runway/ui/internal/termtest"
)

// TestApproveFromAnotherLogin drives `runway run --plain` in tmux to a
// two-person override and approves it with `runway approve` as a user
// would: from the requester's own login it is refused in one line and
// nothing is recorded; from a login that may not write the audit log the
// driver can't be reached; after the driver is killed the approval says no
// process drives the session, and `runway resume` replaces the socket it
// left; then nobody (uid 65534, in the audit log's group) approves, and the
// record names them by login and uid.
func TestApproveFromAnotherLogin(t *testing.T) {
	endToEnd(t)
	if os.Geteuid() != 0 {
		t.Skip("needs root: the second person is another uid, which only root can become")
	}
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Skip("no user nobody on this system")
	}
	uid, _ := strconv.Atoi(nobody.Uid)
	gid, _ := strconv.Atoi(nobody.Gid)
	second := &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}
	stranger := &syscall.Credential{Uid: 65533, Gid: 65533, Groups: []uint32{}}

	work := t.TempDir()
	for _, d := range []string{filepath.Dir(work), work} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(work, "runway")
	copyFile(t, termtest.Binary(t), bin, 0o755)
	if err := os.WriteFile(filepath.Join(work, "rb.yaml"), []byte(fixture.TwoPersonOverride), 0o644); err != nil {
		t.Fatal(err)
	}
	// The team shares the audit log through a group: nobody's.
	db := filepath.Join(work, "runway.db")
	if err := os.WriteFile(db, nil, 0o660); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(db, 0, gid); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(db, 0o660); err != nil {
		t.Fatal(err)
	}

	out, code := runwayAs(t, bin, work, nil, "approve", "--audit", db)
	if code != 2 || !oneLine(out) || !strings.Contains(out, "no runway process drives a session of "+db) {
		t.Fatalf("approve with no driver: exit %d, want 2, one line:\n%s", code, out)
	}

	tm := termtest.Tmux(t, work, 80, 24)
	writeLauncher(t, work)
	tm.Shell("sh launch.sh run --plain rb.yaml --audit runway.db")
	tm.WaitFor(`stopped at one/b`, quick)
	tm.Text("o")
	tm.Keys("Enter")
	tm.WaitFor(`reason for the override:`, quick)
	tm.Text("vendor confirmed")
	tm.Keys("Enter")
	tm.WaitFor(`waits for a second person's approval`, quick)
	id := latestSession(t, db)

	out, code = runwayAs(t, bin, work, nil, "approve", id, "--audit", db)
	if code != 1 || !oneLine(out) || !strings.Contains(out, "(uid 0, root) requested this override: a second person must approve it from their own login") {
		t.Fatalf("approval by the requester's uid: exit %d, want 1, one line:\n%s", code, out)
	}
	out, code = runwayAs(t, bin, work, stranger, "approve", id, "--audit", db)
	if code != 1 || !oneLine(out) || !strings.Contains(out, "permission denied") {
		t.Fatalf("approval by a uid outside the log's group: exit %d, want 1, one line:\n%s", code, out)
	}
	if n := countKind(t, db, "override.approved"); n != 0 {
		t.Fatalf("%d override.approved after refusals", n)
	}

	// The driver is killed: its socket stays behind, answered by no one.
	killRunway(t, filepath.Join(work, "runway.pid"))
	tm.WaitFor(`runway exited`, quick)
	out, code = runwayAs(t, bin, work, second, "approve", "--audit", db)
	if code != 2 || !oneLine(out) || !strings.Contains(out, "left by a process that ended") {
		t.Fatalf("approval with a dead driver: exit %d, want 2, one line:\n%s", code, out)
	}
	tm.Shell("clear; sh launch.sh resume --plain --audit runway.db")
	tm.WaitFor(`session  resumed(?s).*waits for a second person's approval`, quick)

	out, code = runwayAs(t, bin, work, second, "approve", "--audit", db)
	if code != 0 || !oneLine(out) || !strings.Contains(out, "approved the override of one/b requested by root (vendor confirmed), as nobody (uid "+nobody.Uid+")") {
		t.Fatalf("approval by nobody: exit %d, want 0, one line:\n%s", code, out)
	}
	tm.WaitFor(`runway exited 0`, quick)
	events := readLog(t, db)
	expectEvent(t, events, "override.requested", "b", `"requested_uid":0`)
	expectEvent(t, events, "override.approved", "b", `"approved_by":"nobody"`)
	expectEvent(t, events, "override.approved", "b", `"approved_uid":`+nobody.Uid)
	for _, e := range events {
		if e.Kind == "override.approved" && e.Actor != "nobody" {
			t.Errorf("override.approved by %q", e.Actor)
		}
	}
	if _, err := os.Lstat(db + "." + id + ".sock"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the approval socket outlived its driver: %v", err)
	}
}

// runwayAs runs bin in dir as cred (nil: this process's user) and returns
// its output and exit status.
func runwayAs(t *testing.T, bin, dir string, cred *syscall.Credential, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	// bin was just written: a fork elsewhere in this test binary may still
	// hold it open for writing for a moment (ETXTBSY); Start tries again.
	cmd, err := termtest.Start(func() *exec.Cmd {
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Dir = dir
		cmd.Env = []string{"PATH=/usr/bin:/bin", "NO_COLOR=1"}
		if cred != nil {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		}
		out.Reset()
		cmd.Stdout, cmd.Stderr = &out, &out
		return cmd
	})
	if err == nil {
		err = cmd.Wait()
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &exit) && ctx.Err() == nil:
		return out.String(), exit.ExitCode()
	}
	t.Fatalf("runway %s: %v\n%s", strings.Join(args, " "), err, out.String())
	return "", -1
}

func oneLine(out string) bool { return strings.Count(strings.TrimSuffix(out, "\n"), "\n") == 0 }

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, mode); err != nil {
		t.Fatal(err)
	}
}

func latestSession(t *testing.T, path string) string {
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
	return info.ID
}

func countKind(t *testing.T, path, kind string) int {
	t.Helper()
	n := 0
	for _, e := range readLog(t, path) {
		if e.Kind == kind {
			n++
		}
	}
	return n
}
