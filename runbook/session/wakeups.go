package session

import "sync"

// Wakeups is a list of listeners woken after a change. A wake-up is
// coalesced (a listener that has not looked yet gets one signal, not many)
// and never blocks the one who notifies, so a slow screen cannot hold up the
// core: it reads the latest state when it wakes. The zero value is ready.
type Wakeups struct {
	mu   sync.Mutex
	subs map[int]chan struct{}
	next int
}

// Subscribe returns the wake-up channel and a function to stop listening,
// which closes the channel so that a waiting receiver returns; calling it
// again does nothing.
func (w *Wakeups) Subscribe() (<-chan struct{}, func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.subs == nil {
		w.subs = map[int]chan struct{}{}
	}
	ch := make(chan struct{}, 1)
	id := w.next
	w.next++
	w.subs[id] = ch
	return ch, func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		if c, ok := w.subs[id]; ok {
			delete(w.subs, id)
			close(c)
		}
	}
}

// Notify wakes every listener without waiting for any.
func (w *Wakeups) Notify() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, ch := range w.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}
