package serve

import (
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// meter counts what a program wrote to its connection and notes a write
// that has not returned: a client that stopped reading shows as a write in
// progress for as long as it stays stalled. Writes go one at a time: the
// renderer's frames and the console's titles and bells come from different
// goroutines, and an SSH channel's Write is not safe for concurrent use.
type meter struct {
	mu      sync.Mutex
	w       io.Writer
	written atomic.Int64
	since   atomic.Int64 // UnixNano when the write in progress began; 0 when none
}

func (m *meter) Write(p []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.since.Store(time.Now().UnixNano())
	n, err := m.w.Write(p)
	m.since.Store(0)
	m.written.Add(int64(n))
	return n, err
}

// blocked is how long the write in progress has waited, 0 when none.
func (m *meter) blocked(now time.Time) time.Duration {
	since := m.since.Load()
	if since == 0 {
		return 0
	}
	return now.Sub(time.Unix(0, since))
}
