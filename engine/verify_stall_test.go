package engine

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// stallNoteWatch freezes a proxy at the after-th progress report and thaws
// it once a stall note arrives (or, should none, after a minute); note is
// the first stall note seen.
type stallNoteWatch struct {
	t             *testing.T
	after         int
	freeze, thaw  func()
	mu            sync.Mutex
	calls         int
	note          string
	reported      chan struct{}
	thawed        chan struct{}
	frozenReached bool
}

func newStallNoteWatch(t *testing.T, after int, p *freezeProxy) *stallNoteWatch {
	return &stallNoteWatch{t: t, after: after, freeze: p.freeze, thaw: p.thaw,
		reported: make(chan struct{}), thawed: make(chan struct{})}
}

func (w *stallNoteWatch) progress(p Progress) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.calls++; w.calls == w.after {
		w.frozenReached = true
		w.freeze()
		go func() {
			defer close(w.thawed)
			thawAfter(w.t, w.thaw, w.reported)
		}()
	}
	if w.frozenReached && w.note == "" && strings.HasPrefix(p.Note, "no answer from ") {
		w.note = p.Note
		close(w.reported)
	}
}

// result waits for the thaw and returns the stall note.
func (w *stallNoteWatch) result() string {
	w.mu.Lock()
	frozen := w.frozenReached
	w.mu.Unlock()
	if !frozen {
		w.t.Fatalf("the run ended after %d progress reports, before the freeze at %d", w.calls, w.after)
	}
	<-w.thawed
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.note
}

// TestVerifyStall freezes the link to the target mid-verify: the chunk's
// round trips give up after the stall limit, the verify says so, reconnects
// once the link is back and finds exactly the one planted difference.
func TestVerifyStall(t *testing.T) {
	for _, engine := range []string{MySQL, Postgres} {
		t.Run(engine, func(t *testing.T) {
			const n = 4000
			src := openSQLiteT(t, "src")
			fillItems(t, src, n)
			direct, dst, proxy := stallTarget(t, engine)
			copyT(t, src, direct, CopyOptions{Tables: []string{"items"}, Create: true})
			execT(t, direct, "UPDATE items SET v = v + 1000 WHERE id = 3777")

			// One worker: chunks are folded (and reported) as they are
			// checked, so the freeze comes with most chunks still to check.
			w := newStallNoteWatch(t, 3, proxy)
			res, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{"items"},
				ChunkRows: 200, Workers: 1, stallAfter: time.Second, Progress: w.progress})
			note := w.result()
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			want := "no answer from " + dst.String() + " for 1s while verifying chunk "
			if !strings.HasPrefix(note, want) || !strings.HasSuffix(note, "; reconnecting") {
				t.Fatalf("note %q, want %q…; reconnecting", note, want)
			}
			tr := res.Tables[0]
			if tr.Rows != n || tr.TargetRows != n || res.DiffCount != 1 || res.Passed {
				t.Fatalf("verdict: %d rows, %d target rows, %d differences (%v), passed %v; want %d, %d, 1, false",
					tr.Rows, tr.TargetRows, res.DiffCount, res.Diffs, res.Passed, n, n)
			}
			if k := res.Diffs[0].Key; len(k) != 1 || k[0] != "3777" {
				t.Fatalf("difference at key %v, want 3777", k)
			}
		})
	}
}

// TestRepairHalfOpenLink loses the target's connection for good just after
// a repair's rows went out, while new connections get through: the session
// left on the server holds those rows locked in its open transaction, and
// the repair ends it before it writes them again.
func TestRepairHalfOpenLink(t *testing.T) {
	src := openMySQLT(t)
	fillItems(t, src, 3000)
	direct, dst, proxy := stallTarget(t, MySQL)
	copyT(t, src, direct, CopyOptions{Tables: []string{"items"}, Create: true})
	execT(t, direct, "UPDATE items SET v = v + 1000 WHERE id % 5 = 0")
	// Verify sends only short queries, and the repair's prepared upsert is
	// about 5 KiB: the request lost is the one carrying 500 rows' values.
	proxy.loseRequestOver(16 << 10)
	var mu sync.Mutex
	var notes []string
	res, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{"items"}, Repair: true,
		stallAfter: time.Second, RetryFor: time.Minute, Progress: func(p Progress) {
			mu.Lock()
			defer mu.Unlock()
			if strings.HasPrefix(p.Note, "no answer from ") {
				notes = append(notes, p.Note)
			}
		}})
	if err != nil {
		t.Fatalf("repair after a half-open link: %v", err)
	}
	if !proxy.lostOne() || !strings.Contains(strings.Join(notes, "\n"), " while repairing") {
		t.Fatalf("notes %q: the link was not lost while repairing", notes)
	}
	if res.DiffCount != 600 || res.Repaired != 600 {
		t.Errorf("%d differences, %d repaired; want 600 of each", res.DiffCount, res.Repaired)
	}
	verifyNoDiffs(t, src, direct, "items")
}
