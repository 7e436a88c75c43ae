package approvals

import (
	"bufio"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"runway/runbook/event"
	"runway/runbook/session"
)

// The requester's own approval over the socket is refused in one line and
// leaves no override.approved; a rejection from them is taken.
func TestOwnApprovalRefusedOverSocket(t *testing.T) {
	sess, audit := pending(t, t.TempDir())
	l, err := Listen(sess, audit)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	r := Ask(audit, sess.ID(), OpApprove, "")
	if r.Code != Refused || !strings.Contains(r.Line, "requested this override: a second person must approve it from their own login") {
		t.Fatalf("own approval: %+v", r)
	}
	if n := kinds(t, sess); n[event.KindOverrideApproved] != 0 || sess.State().Pending == nil {
		t.Fatalf("approved anyway: %v", n)
	}
	if r := Ask(audit, sess.ID(), OpReject, ""); r.Code != Done || !strings.HasPrefix(r.Line, "rejected the override of one/b requested by lea (vendor confirmed)") {
		t.Fatalf("withdrawal: %+v", r)
	}
	if r := Ask(audit, sess.ID(), OpApprove, ""); r.Code != NoneHere || !strings.Contains(r.Line, "no override waits for approval") {
		t.Fatalf("nothing left: %+v", r)
	}
}

// A socket left by a killed driver is replaced; Close removes the socket;
// with no driver, Ask says so in one line.
func TestStaleSocketReplaced(t *testing.T) {
	sess, audit := pending(t, t.TempDir())
	path := Path(audit, sess.ID())
	if r := Ask(audit, sess.ID(), OpApprove, ""); r.Code != NoneHere || !strings.Contains(r.Line, "no runway process drives session "+sess.ID()+" on this host") {
		t.Fatalf("no socket: %+v", r)
	}
	// What a killed process leaves: a socket file nobody listens on.
	dead, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	dead.SetUnlinkOnClose(false)
	dead.Close()
	if r := Ask(audit, sess.ID(), OpApprove, ""); r.Code != NoneHere || !strings.Contains(r.Line, "left by a process that ended") {
		t.Fatalf("stale socket: %+v", r)
	}
	l, err := Listen(sess, audit)
	if err != nil {
		t.Fatalf("listen over a stale socket: %v", err)
	}
	if r := Ask(audit, sess.ID(), OpApprove, ""); r.Code != Refused {
		t.Fatalf("the new driver does not answer: %+v", r)
	}
	// A second listener on a live socket is refused and leaves it alone.
	if _, err := Listen(sess, audit); err == nil || !strings.Contains(err.Error(), "another process listens") {
		t.Fatalf("second listener: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Fatalf("socket left after Close: %v", err)
	}
}

// The socket lets connect whoever may write the audit log, and no one else;
// a file in its way that is no socket is never removed.
func TestSocketModeFollowsAuditLog(t *testing.T) {
	sess, audit := pending(t, t.TempDir())
	for _, tt := range []struct {
		log, want os.FileMode
	}{{0o644, 0o600}, {0o664, 0o660}, {0o666, 0o666}} {
		if err := os.Chmod(audit, tt.log); err != nil {
			t.Fatal(err)
		}
		l, err := Listen(sess, audit)
		if err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(l.Path())
		l.Close()
		if err != nil || fi.Mode().Perm() != tt.want {
			t.Fatalf("log %o: socket %v, %v; want %o", tt.log, fi.Mode(), err, tt.want)
		}
	}
	path := Path(audit, sess.ID())
	if err := os.WriteFile(path, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Listen(sess, audit); err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Fatalf("listen over a file: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "keep" {
		t.Fatal("the file in the way was touched")
	}
	if ids, err := Sessions(filepath.Join(filepath.Dir(audit), "runway.db")); err != nil || len(ids) != 0 {
		t.Fatalf("a plain file counted as a socket: %v %v", ids, err)
	}
}

// The socket takes the audit log's permissions again when an override
// comes to wait: a log shared after the session began is enough.
func TestSocketFollowsLogSharedLater(t *testing.T) {
	dir := t.TempDir()
	sess, audit := pending(t, dir)
	if _, err := sess.RejectFrom(session.LocalPeer(os.Getuid()), ""); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(audit, 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Listen(sess, audit)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := os.Chmod(audit, 0o664); err != nil {
		t.Fatal(err)
	}
	if err := sess.Do(session.Override{Item: "b", Reason: "again"}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		fi, err := os.Stat(l.Path())
		if err == nil && fi.Mode().Perm() == 0o660 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("socket mode %v, %v; want 0660 once the log is group-writable", fi.Mode(), err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A socket name that is a symbolic link to another session's socket is
// refused by the client, and a request naming one session sent to another
// session's driver is refused by the driver: neither decides in the wrong
// session. (A rejection is used: the requester may withdraw, so only the
// session check stands in its way.)
func TestDecisionReachesOnlyItsSession(t *testing.T) {
	dir := t.TempDir()
	a, audit := pending(t, dir)
	b, _ := pending(t, dir)
	la, err := Listen(a, audit)
	if err != nil {
		t.Fatal(err)
	}
	defer la.Close()
	if err := os.Symlink(filepath.Base(la.Path()), Path(audit, b.ID())); err != nil {
		t.Fatal(err)
	}
	r := Ask(audit, b.ID(), OpReject, "")
	if r.Code != Refused || !strings.Contains(r.Line, "is a symbolic link") {
		t.Fatalf("through a symlinked socket name: %+v", r)
	}
	r = askRaw(t, la.Path(), request{Op: OpReject, Session: b.ID()})
	if r.Code != Refused || !strings.Contains(r.Line, "not of session \""+b.ID()+"\"") {
		t.Fatalf("a request for session %s at %s's socket: %+v", b.ID(), a.ID(), r)
	}
	if r = askRaw(t, la.Path(), request{Op: OpReject}); r.Code != Refused {
		t.Fatalf("a request naming no session: %+v", r)
	}
	if n := kinds(t, a); n[event.KindOverrideRejected] != 0 || a.State().Pending == nil {
		t.Fatalf("decided in session %s: %v", a.ID(), n)
	}
	if r := Ask(audit, a.ID(), OpReject, ""); r.Code != Done {
		t.Fatalf("the right session's request: %+v", r)
	}
}

// askRaw sends req as one line to the socket at path and reads the reply.
func askRaw(t *testing.T, path string, req request) Reply {
	t.Helper()
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	b, _ := json.Marshal(req)
	if _, err := c.Write(append(b, '\n')); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(c).ReadBytes('\n')
	if err != nil {
		t.Fatal(err)
	}
	var r Reply
	if err := json.Unmarshal(line, &r); err != nil {
		t.Fatal(err)
	}
	return r
}
