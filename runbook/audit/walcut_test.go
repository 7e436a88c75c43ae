package audit

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestWALTruncatedWhileOpen: the -wal is cut in place (same file, no
// bytes). SQLite would read the hole back as pages and checkpoint it into
// the log file; the log refuses every write, keeps the log file as it was
// at its last checkpoint, and saves every event from memory into a new file.
func TestWALTruncatedWhileOpen(t *testing.T) {
	for _, tc := range []struct {
		name string
		cut  func(t *testing.T, wal string)
		want string
	}{
		{"truncated", func(t *testing.T, wal string) {
			if err := os.Truncate(wal, 0); err != nil {
				t.Fatal(err)
			}
		}, "runway.db-wal was truncated while open"},
		{"header overwritten", func(t *testing.T, wal string) {
			f, err := os.OpenFile(wal, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.WriteAt(make([]byte, 32), 0); err != nil {
				t.Fatal(err)
			}
		}, "runway.db-wal lost its header while open"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, path := newLog(t)
			s := newSession(t, l)
			written := appendN(t, l, s.ID, 3)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			tc.cut(t, path+"-wal")
			_, err = l.Append(note(s.ID, 4))
			expectPoisoned(t, l, s.ID, err, tc.want+"; runway.db may lack the events since its last checkpoint; every event recorded so far was saved into runway.db.rescued")
			l.Close()
			checkAllPresent(t, path+".rescued", written)
			if last := lastSeq(t, path+".rescued"); last != written[len(written)-1].Seq {
				t.Errorf("the rescued copy ends at event %d, want %d", last, written[len(written)-1].Seq)
			}
			if rep := mustVerify(t, path+".rescued"); !rep.OK {
				t.Errorf("verify the rescued copy: %s", rep.Reason)
			}
			after, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(after) != string(before) {
				t.Error("the log file was changed after its -wal was cut")
			}
		})
	}
}

// TestGuardNoticesACutWAL: no write comes after the -wal is cut; the log
// notices by itself and saves the events.
func TestGuardNoticesACutWAL(t *testing.T) {
	l, path := newGuardedLog(t, 10*time.Millisecond)
	s := newSession(t, l)
	written := appendN(t, l, s.ID, 3)
	if err := os.Truncate(path+"-wal", 0); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for l.Poisoned() == nil {
		if time.Now().After(deadline) {
			t.Fatal("the log did not notice its -wal was cut")
		}
		time.Sleep(5 * time.Millisecond)
	}
	expectPoisoned(t, l, s.ID, l.Poisoned(), "was truncated while open")
	checkAllPresent(t, path+".rescued", written)
}

// TestWALGrowsAndRestartsUnflagged: the -wal SQLite restarts after a
// checkpoint keeps its size and header; nothing is flagged.
func TestWALGrowsAndRestartsUnflagged(t *testing.T) {
	l, _ := newLog(t)
	s := newSession(t, l)
	appendN(t, l, s.ID, 3)
	if _, err := l.w.conn.ExecContext(t.Context(), `PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
		t.Fatal(err)
	}
	appendN(t, l, s.ID, 3)
	if err := l.Poisoned(); err != nil {
		t.Fatal(err)
	}
}

// TestUnreadableWALLeftBeforeOpenUnflagged: a -wal an earlier process left
// without a valid header (cut while that process ran) is ignored by
// SQLite, which writes its own header before any frame: the next session
// on the log is not stopped for it.
func TestUnreadableWALLeftBeforeOpenUnflagged(t *testing.T) {
	l, path := newLog(t)
	s := newSession(t, l)
	written := appendN(t, l, s.ID, 2)
	l.Close()
	if err := os.WriteFile(path+"-wal", make([]byte, 5000), 0o644); err != nil {
		t.Fatal(err)
	}
	l2, err := openQuiet(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	check := func() error {
		l2.mu.Lock()
		defer l2.mu.Unlock()
		return l2.checkFiles()
	}
	if err := check(); err != nil {
		t.Fatalf("before a write: %v", err)
	}
	more := appendN(t, l2, s.ID, 2)
	if err := check(); err != nil {
		t.Fatalf("after a write: %v", err)
	}
	checkAllPresent(t, path, append(written, more...))
}

// TestCutWALNothingToSaveSaysSo: the pages the -wal lost are no longer all
// in this process's memory (here: a cache shrunk to a few pages). The
// message says the events since the last checkpoint may be missing and
// could not be read back, and no partial copy is left behind.
func TestCutWALNothingToSaveSaysSo(t *testing.T) {
	l, path := newLog(t)
	s := newSession(t, l)
	big := Event{Session: s.ID, Actor: "engine", Kind: "engine.progress",
		Payload: []byte(fmt.Sprintf(`{"blob":%q}`, strings.Repeat("x", 3000)))}
	for range 100 {
		if _, err := l.Append(big); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.w.conn.ExecContext(t.Context(), `PRAGMA cache_size = 1`); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path+"-wal", 0); err != nil {
		t.Fatal(err)
	}
	_, err := l.Append(note(s.ID, 4))
	expectPoisoned(t, l, s.ID, err, "runway.db may lack the events since its last checkpoint, and they could not be read back (not all of them were still in memory)")
	if _, err := os.Stat(path + ".rescued"); err == nil {
		t.Error("a partial copy was left behind")
	}
}

// TestWALCutAsTheGuardLooks: the -wal is cut between the guard's look at
// its size and its read of the header; the read finds the file shorter
// than the size just seen. That is the cut, not a failure to read.
func TestWALCutAsTheGuardLooks(t *testing.T) {
	l, path := newLog(t)
	s := newSession(t, l)
	written := appendN(t, l, s.ID, 3)
	fi, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path+"-wal", 0); err != nil {
		t.Fatal(err)
	}
	l.mu.Lock()
	f := l.walContent(fi.Size()) // the size seen before the cut
	l.mu.Unlock()
	if f == nil || !f.damaged || !strings.HasSuffix(f.reason, "runway.db-wal was truncated while open") {
		t.Fatalf("fault = %+v, want the -wal truncated, its events to rescue from memory", f)
	}
	_, err = l.Append(note(s.ID, 4))
	expectPoisoned(t, l, s.ID, err, "runway.db-wal was truncated while open; runway.db may lack the events since its last checkpoint; every event recorded so far was saved into runway.db.rescued")
	checkAllPresent(t, path+".rescued", written)
}

// TestWALCutThenWrittenPast: the -wal is cut while a transaction runs,
// whose commit then writes its frames where SQLite believes the -wal ends,
// leaving a hole where the header was. That is still the cut.
func TestWALCutThenWrittenPast(t *testing.T) {
	l, path := newLog(t)
	s := newSession(t, l)
	written := appendN(t, l, s.ID, 3)
	n := note(s.ID, 4)
	out := make([]Event, 1)
	l.mu.Lock()
	err := l.writeTx(func(w *writer) error {
		if err := os.Truncate(path+"-wal", 0); err != nil {
			t.Error(err)
		}
		return l.insertEvents(w, []pending{{e: n, payload: string(n.Payload)}}, out)
	})
	l.mu.Unlock()
	if fi, serr := os.Stat(path + "-wal"); serr != nil || fi.Size() < walHeaderSize {
		t.Skipf("the commit did not write past the cut (%v); nothing to tell apart", serr)
	}
	expectPoisoned(t, l, s.ID, err, "runway.db-wal was truncated while open; runway.db may lack the events since its last checkpoint; every event recorded so far was saved into runway.db.rescued")
	checkAllPresent(t, path+".rescued", written)
}

// TestWALCutThenAWriteFails: the -wal is cut while a transaction runs that
// must read pages back from it (a cache too small to hold them). The write
// fails with an I/O error before anything looks at the files, or its commit
// writes past the cut, as SQLite has it; either way the failure is told as
// the cut, not as the I/O error or a lost header.
func TestWALCutThenAWriteFails(t *testing.T) {
	l, path := newLog(t)
	s := newSession(t, l)
	appendN(t, l, s.ID, 3)
	if _, err := l.w.conn.ExecContext(t.Context(), `PRAGMA cache_size = 1`); err != nil {
		t.Fatal(err)
	}
	appendN(t, l, s.ID, 30)
	n := note(s.ID, 34)
	out := make([]Event, 1)
	l.mu.Lock()
	err := l.writeTx(func(w *writer) error {
		if err := os.Truncate(path+"-wal", 0); err != nil {
			t.Error(err)
		}
		return l.insertEvents(w, []pending{{e: n, payload: string(n.Payload)}}, out)
	})
	l.mu.Unlock()
	expectPoisoned(t, l, s.ID, err, "runway.db-wal was truncated while open; runway.db may lack the events since its last checkpoint")
}
