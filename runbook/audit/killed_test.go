package audit

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"runway/runbook/text"
)

// The tests below run a writer in a child process (this test binary, in
// TestKilledWriterChild) and end it with SIGKILL, as a crash or kill -9
// would: no Close, no checkpoint on the way out. Whatever the child printed
// as appended must be in the log afterwards.

const (
	childEnv      = "RUNWAY_AUDIT_KILLED_CHILD"
	childGuardEnv = "RUNWAY_AUDIT_KILLED_GUARD" // set: the child keeps the guard
)

// TestKilledWriterChild is the child: it opens the log named by childEnv and
// obeys one command a line on stdin — "append" (prints "ok <event JSON>" or
// "err <message>"), "poisoned" (waits until the log poisons itself, prints
// "err <message>") — until stdin closes or it is killed.
func TestKilledWriterChild(t *testing.T) {
	path := os.Getenv(childEnv)
	if path == "" {
		t.Skip("run by the killed-writer tests")
	}
	open := openQuiet
	if os.Getenv(childGuardEnv) != "" {
		open = Open
	}
	l, err := open(path)
	if err != nil {
		fmt.Println("err", err)
		return
	}
	s, err := l.CreateSession(SessionInfo{Runbook: "orders-split", Operator: "alice", RunbookText: []byte("version: 1\n")})
	if err != nil {
		fmt.Println("err", err)
		return
	}
	in := bufio.NewScanner(os.Stdin)
	for i := 0; in.Scan(); i++ {
		switch in.Text() {
		case "append":
			e, err := l.Append(note(s.ID, i))
			if err != nil {
				fmt.Println("err", text.OneLine(err.Error()))
				continue
			}
			b, _ := json.Marshal(e)
			fmt.Println("ok", string(b))
		case "poisoned":
			deadline := time.Now().Add(30 * time.Second)
			for l.Poisoned() == nil && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			fmt.Println("err", text.OneLine(fmt.Sprint(l.Poisoned())))
		}
	}
}

// writerChild is a running child and what it acknowledged.
type writerChild struct {
	t     *testing.T
	cmd   *exec.Cmd
	in    io.WriteCloser
	out   *bufio.Scanner
	acked []Event
}

func startWriterChild(t *testing.T, path string, guard bool) *writerChild {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledWriterChild$", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"="+path)
	if guard {
		cmd.Env = append(cmd.Env, childGuardEnv+"=1")
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &writerChild{t: t, cmd: cmd, in: in, out: bufio.NewScanner(out)}
	t.Cleanup(c.kill)
	return c
}

// do sends a command and returns the error line's message, or "" when an
// event was acknowledged.
func (c *writerChild) do(cmd string) string {
	c.t.Helper()
	if _, err := fmt.Fprintln(c.in, cmd); err != nil {
		c.t.Fatal(err)
	}
	for c.out.Scan() {
		line := c.out.Text()
		switch {
		case strings.HasPrefix(line, "ok "):
			var e Event
			if err := json.Unmarshal([]byte(line[3:]), &e); err != nil {
				c.t.Fatal(err)
			}
			c.acked = append(c.acked, e)
			return ""
		case strings.HasPrefix(line, "err "):
			return line[4:]
		}
	}
	c.t.Fatalf("the child ended before answering %q: %v", cmd, c.out.Err())
	return ""
}

// kill ends the child as kill -9 does.
func (c *writerChild) kill() {
	if c.cmd.ProcessState == nil {
		c.cmd.Process.Signal(syscall.SIGKILL)
		c.cmd.Wait()
	}
}

func TestKilledAfterWALRemoved(t *testing.T) {
	for _, tc := range []struct {
		name  string
		after func(t *testing.T, path string) // after the -wal is removed
		how   string                          // the first write after it
		want  string
	}{
		{name: "next append", how: "append", want: "runway.db-wal was removed while open"},
		// Any other process opening the log makes SQLite create a fresh,
		// empty -wal at the path.
		{name: "fresh -wal created", how: "append", want: "runway.db-wal was replaced by another while open",
			after: func(t *testing.T, path string) {
				if r, err := OpenReadOnly(path); err == nil {
					r.LastSeq(context.Background())
					r.Close()
				}
				if !exists(path + "-wal") {
					t.Fatal("no fresh -wal was created")
				}
			}},
		// The operator reads a manual item's instructions: no write comes.
		{name: "no write before the kill", how: "poisoned", want: "runway.db-wal was removed while open"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "runway.db")
			c := startWriterChild(t, path, tc.how == "poisoned")
			for range 5 {
				if msg := c.do("append"); msg != "" {
					t.Fatal(msg)
				}
			}
			if err := os.Remove(path + "-wal"); err != nil {
				t.Fatal(err)
			}
			if tc.after != nil {
				tc.after(t, path)
			}
			msg := c.do(tc.how)
			if !strings.Contains(msg, path) || !strings.Contains(msg, tc.want) || !strings.Contains(msg, "cannot be written") {
				t.Errorf("after the -wal was removed: %q, want an error naming %s and %q", msg, path, tc.want)
			}
			if msg := c.do("append"); msg == "" {
				t.Error("an append after the failure was acknowledged")
			}
			c.kill()
			checkAllPresent(t, path, c.acked)
			if n := lastSeq(t, path); n != c.acked[len(c.acked)-1].Seq {
				t.Errorf("the log ends at event %d, want %d", n, c.acked[len(c.acked)-1].Seq)
			}
		})
	}
}

func TestKilledAfterFileReplaced(t *testing.T) {
	path := filepath.Join(t.TempDir(), "runway.db")
	c := startWriterChild(t, path, false)
	for range 5 {
		if msg := c.do("append"); msg != "" {
			t.Fatal(msg)
		}
	}
	moved := filepath.Join(filepath.Dir(path), "moved.db")
	if err := os.Rename(path, moved); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("someone else's file"), 0o644); err != nil {
		t.Fatal(err)
	}
	msg := c.do("append")
	if !strings.Contains(msg, path) || !strings.Contains(msg, "replaced by another while open") {
		t.Errorf("after the file was replaced: %q", msg)
	}
	c.kill()
	// The -wal beside the new file must not hold our events, or SQLite
	// would replay them into it; they are in the file moved away.
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		t.Errorf("%s-wal still holds %d bytes beside someone else's file", path, fi.Size())
	}
	checkAllPresent(t, moved, c.acked)
	if b, _ := os.ReadFile(path); string(b) != "someone else's file" {
		t.Errorf("the file now at the path was changed: %q", b)
	}
}
