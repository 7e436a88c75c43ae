package engine

import (
	"sync/atomic"
	"time"
)

// chunker sizes keyset chunks: it starts small, then aims each chunk at a
// write time, within a row cap, a memory cap, the rate limit and whole
// prepared runs. The reader asks next; the writer reports each chunk's
// write to adapt.
type chunker struct {
	size    atomic.Int64  // rows of the next chunk, before the limits of next
	max     int           // rows at most
	target  time.Duration // write time a chunk aims at
	granule int           // rows per prepared run on the target (0: none)
	control *Control
}

// start sets the chunker up: about 50 ms of rows on a local server first.
func (k *chunker) start(maxRows int, target time.Duration, granule int, control *Control) {
	k.max, k.target, k.granule, k.control = maxRows, target, granule, control
	k.size.Store(int64(min(10000, maxRows)))
}

// next is the number of rows of the next read: adapted to the chunk time,
// and small enough to keep a rate limit smooth.
func (k *chunker) next() int {
	n := int(k.size.Load())
	if m := k.control.maxRows(k.target); m > 0 && n > m {
		n = m
	}
	if g := k.granule; g > 1 && n > g {
		n -= n % g // whole prepared runs: no rows left over to send as text
	}
	return max(n, 1)
}

// adapt sizes the next chunks from how long one of rows rows took to write;
// bytes is the memory its rows held (0 when they were never in memory).
func (k *chunker) adapt(rows, bytes int, took time.Duration) {
	cur := k.size.Load()
	if rows < int(cur)/2 || took <= 0 {
		return // a short last chunk says little
	}
	want := int64(float64(rows) / took.Seconds() * k.target.Seconds())
	want = min(max(want, cur/2), cur*2)
	if bpr := int64(bytes / rows); bpr > 0 { // keep a chunk within maxChunkBytes
		want = min(want, maxChunkBytes/bpr)
	}
	k.size.Store(min(max(want, 100), int64(k.max)))
}
