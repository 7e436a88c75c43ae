package session

import (
	"sort"
	"sync"
	"time"

	"runway/checks"
	"runway/engine"
	"runway/runbook/audit"
	"runway/runbook/event"
)

// progressEvery is how often engine progress is written to the log, per
// table at most: telemetry is batched, verdicts are not.
const progressEvery = time.Second

// liveBoard holds the latest progress of running items, latest wins per
// item and table. Engines write it at any rate; the console samples it and
// the core flushes what changed to the log about once a second.
type liveBoard struct {
	mu    sync.Mutex
	items map[string][]engine.Progress // by item id, tables in first-seen order
	dirty map[liveKey]dirtySample      // changed since the last flush
}

type liveKey struct{ item, table string }

type dirtySample struct {
	phase string
	p     engine.Progress
}

func newLiveBoard() *liveBoard {
	return &liveBoard{items: map[string][]engine.Progress{}, dirty: map[liveKey]dirtySample{}}
}

// set records an engine sample.
func (b *liveBoard) set(phase, item string, p engine.Progress) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.put(item, p)
	b.dirty[liveKey{item, p.Table}] = dirtySample{phase: phase, p: p}
}

// check records a long check's status (wait: time left); it is shown live
// but not logged, since the check's verdict says what happened.
func (b *liveBoard) check(item, kind string, p checks.Progress) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.put(item, engine.Progress{
		Engine: kind, Done: int64(p.Fraction * 1000), Total: 1000, ETA: p.Remaining, Note: p.Note,
	})
}

func (b *liveBoard) put(item string, p engine.Progress) {
	list := b.items[item]
	for i := range list {
		if list[i].Table == p.Table {
			list[i] = p
			return
		}
	}
	b.items[item] = append(list, p)
}

// drop forgets an item that stopped running (its samples not yet flushed stay dirty).
func (b *liveBoard) drop(item string) {
	b.mu.Lock()
	delete(b.items, item)
	b.mu.Unlock()
}

// snapshot copies the live samples.
func (b *liveBoard) snapshot() map[string][]engine.Progress {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make(map[string][]engine.Progress, len(b.items))
	for k, v := range b.items {
		out[k] = append([]engine.Progress(nil), v...)
	}
	return out
}

// take removes and returns the samples changed since the last flush, of one
// item or ("" ) of all.
func (b *liveBoard) take(item string) map[liveKey]dirtySample {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := map[liveKey]dirtySample{}
	for k, v := range b.dirty {
		if item == "" || k.item == item {
			out[k] = v
			delete(b.dirty, k)
		}
	}
	return out
}

// Live is the latest progress of every running engine (and long check), by
// item id, one sample per table. It is cheap: sample it at the screen's rate.
func (s *Session) Live() map[string][]engine.Progress { return s.live.snapshot() }

// flushProgress writes the changed samples (of one item, or all) as
// engine.progress events in one batch. It runs on the core.
func (s *Session) flushProgress(item string) error {
	samples := s.live.take(item)
	if len(samples) == 0 && (item != "" || !s.guards.board.pending()) {
		return nil
	}
	keys := make([]liveKey, 0, len(samples))
	for k := range samples {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].item != keys[j].item {
			return keys[i].item < keys[j].item
		}
		return keys[i].table < keys[j].table
	})
	events := make([]audit.Event, 0, len(keys))
	for _, k := range keys {
		d := samples[k]
		e, err := s.event("", event.KindEngineProgress, d.phase, k.item, event.ProgressPayload{
			Table: d.p.Table, Done: d.p.Done, Total: d.p.Total, RowsPerSec: d.p.RowsPerSec,
			ETAms: d.p.ETA.Milliseconds(), Note: s.Redact(d.p.Note),
		})
		if err != nil {
			return err
		}
		events = append(events, e)
	}
	if item == "" { // guard_board.go: guards' latest samples go with them
		more, err := s.guardSampleEvents()
		if err != nil {
			return err
		}
		events = append(events, more...)
	}
	if err := (&tx{s: s}).emitBatch(events); err != nil {
		return err
	}
	s.notify()
	return nil
}
