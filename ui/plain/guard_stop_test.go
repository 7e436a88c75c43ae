package plain

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// guardedCopy copies 2,000 rows at 200 rows/s while a guard goes critical
// as soon as the target exists: the breach comes in the middle of the copy.
const guardedCopy = `
version: 1
name: t
title: A guard breaches during a copy
connections:
  src: {driver: sqlite, dsn: "src.db"}
  dst: {driver: sqlite, dsn: "dst.db"}
guards:
  - {id: load, title: Load, command: {run: "if [ -e dst.db ]; then echo 9; else echo 0; fi"}, every: 1s, critical: "> 5"}
phases:
  - id: one
    title: One
    items:
      - {id: copy-t, title: Copy t, copy: {from: src, to: dst, tables: [t], rate: 200, create: true}}
`

func seedRows(t *testing.T, dir string, n int) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, "src.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		if _, err := db.Exec("INSERT INTO t VALUES (?, ?)", i, fmt.Sprint("row ", i)); err != nil {
			t.Fatal(err)
		}
	}
}

// Without a terminal, a guard's stop keeps the run up (guards watch on,
// the stop escalates), says once how to go on, and Ctrl-C ends it
// resumably.
func TestGuardStopWaitsInAPlainRun(t *testing.T) {
	sess, log, dir := start(t, guardedCopy)
	seedRows(t, dir, 2000)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &lockedBuffer{}
	done := make(chan int, 1)
	go func() { done <- Run(ctx, sess, strings.NewReader(""), out, "") }()
	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(out.String(), "guard load holds a stop; the paused engines wait") {
		if time.Now().After(deadline) {
			t.Fatalf("no word of the guard's stop after a minute:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel() // Ctrl-C
	if code := <-done; code != ExitStopped {
		t.Fatalf("exit %d; output:\n%s", code, out.String())
	}
	if k := kinds(t, log, sess.ID()); !strings.Contains(k, "engine.control copy-t") || !strings.Contains(k, "session.closed") {
		t.Fatalf("log:\n%s", k)
	}
}

// lockedBuffer is a bytes.Buffer safe for a writer and a reader.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// At a terminal, the lead acknowledges the guard with a reason and the
// paused copy resumes to the end.
func TestGuardStopAcknowledgedInPlain(t *testing.T) {
	sess, log, dir := start(t, guardedCopy)
	seedRows(t, dir, 2000)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out bytes.Buffer
	code := Driver{In: strings.NewReader("a\nbatch job, known\n"), Out: &out, Interactive: true}.Run(ctx, sess)
	if code != ExitPassed {
		t.Fatalf("exit %d; output:\n%s", code, out.String())
	}
	if !strings.Contains(out.String(), "stopped by guard load [a acknowledge and resume / q quit]: ") {
		t.Errorf("no guard prompt:\n%s", out.String())
	}
	k := kinds(t, log, sess.ID())
	if !strings.Contains(k, "guard.acknowledged") || !strings.Contains(k, "item.passed copy-t") {
		t.Errorf("log:\n%s", k)
	}
}
