package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// fakeClock makes a Control's waits instant while accounting for them.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (f *fakeClock) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) sleep(ctx context.Context, d time.Duration, wake <-chan struct{}) error {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
	return ctx.Err()
}

func fakeControl(rate int) (*Control, *fakeClock) {
	c := NewControl(rate)
	f := &fakeClock{t: time.Unix(1e9, 0)}
	c.now, c.sleep = f.now, f.sleep
	return c, f
}

func TestControlRateAccounting(t *testing.T) {
	c, _ := fakeControl(1000)
	for i := 0; i < 10; i++ {
		if err := c.Wait(context.Background(), 500); err != nil {
			t.Fatal(err)
		}
	}
	// the first 500 rows pass at once, each later 500 waits half a second
	if c.Granted() != 5000 || c.Delayed() != 4500*time.Millisecond {
		t.Fatalf("granted %d rows, delayed %v", c.Granted(), c.Delayed())
	}
	c.SetRate(0)
	if err := c.Wait(context.Background(), 1e6); err != nil || c.Delayed() != 4500*time.Millisecond {
		t.Fatalf("unlimited: %v, delayed %v", err, c.Delayed())
	}
	var nilControl *Control
	if err := nilControl.Wait(context.Background(), 10); err != nil {
		t.Fatal(err)
	}
}

func TestControlRaiseRateWakesWaiter(t *testing.T) {
	c := NewControl(1) // one row per second: the second call would wait 100 s
	ctx := context.Background()
	c.Wait(ctx, 100)
	done := make(chan error)
	go func() { done <- c.Wait(ctx, 1) }()
	time.Sleep(20 * time.Millisecond)
	c.SetRate(1_000_000)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("raising the rate did not release the waiter")
	}
	if c.Rate() != 1_000_000 {
		t.Fatal(c.Rate())
	}
}

func TestControlPause(t *testing.T) {
	c := NewControl(0)
	c.Pause()
	if !c.Paused() {
		t.Fatal("not paused")
	}
	done := make(chan error, 1)
	go func() { done <- c.Wait(context.Background(), 1) }()
	select {
	case <-done:
		t.Fatal("Wait returned while paused")
	case <-time.After(50 * time.Millisecond):
	}
	c.Resume()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Resume did not release the waiter")
	}
	// cancelling a paused wait returns at once
	c.Pause()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { done <- c.Wait(ctx, 1) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("paused wait after cancel: %v", err)
	}
}

// TestCopyHonoursRate copies under a rate limit and checks, by the
// Control's own accounting, that every row passed the limit, that chunks were
// small enough to keep the rate smooth, and that a rate lowered during the
// copy shrank the chunks that followed.
func TestCopyHonoursRate(t *testing.T) {
	const n = 3000
	src := openSQLiteT(t, "src")
	seedOrders(t, src, n)
	dst := openSQLiteT(t, "dst")
	ctl, _ := fakeControl(1000)
	var sizes []int64
	var last int64
	lowered := -1
	res := copyT(t, src, dst, CopyOptions{Tables: []string{"o"}, Create: true, Control: ctl, ChunkTime: 200 * time.Millisecond,
		OnCheckpoint: func(c Checkpoint) {
			if c.Done {
				return
			}
			sizes = append(sizes, c.Rows-last)
			last = c.Rows
			if c.Rows >= 1000 && lowered < 0 {
				ctl.SetRate(100) // 20 rows per 200 ms chunk from now on
				lowered = len(sizes)
			}
		}})
	if res.Tables[0].Rows != n || ctl.Granted() != n {
		t.Fatalf("copied %d rows, control granted %d", res.Tables[0].Rows, ctl.Granted())
	}
	for i, s := range sizes {
		limit := int64(200)
		if lowered >= 0 && i >= lowered+2 { // the reader may be one chunk ahead
			limit = 20
		}
		if s > limit {
			t.Fatalf("chunk %d has %d rows, above %d (sizes %v)", i, s, limit, sizes)
		}
	}
	// at 1000 rows/s the first 1000 rows take at least 0.8 s (the first chunk
	// passes at once); at 100 rows/s the other 2000 at least ~19 s
	if min := 18 * time.Second; ctl.Delayed() < min {
		t.Fatalf("rate limit held rows back %v, want at least %v", ctl.Delayed(), min)
	}
	t.Log(fmt.Sprintf("%d chunks, delayed %v", len(sizes), ctl.Delayed()))
}
