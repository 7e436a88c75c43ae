package console

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"runway/engine"
	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/fold"
	"runway/runbook/session"
)

// t0 is the fixed time sessions in these tests open at.
var t0 = time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)

// fakeCore is a session core for tests: its state is the real reducer's fold
// of real events, and its Do records actions and may answer them with events
// (react) or refuse them (refuse, by action name).
type fakeCore struct {
	rb *runbook.Runbook

	mu      sync.Mutex
	st      fold.State
	seq     int64
	now     time.Time
	live    map[string][]engine.Progress
	subs    []chan struct{}
	actions []session.Action
	refuse  map[string]string
	react   func(f *fakeCore, a session.Action)
	closed  int

	done chan struct{}
	err  error
}

func newFake(rb *runbook.Runbook) *fakeCore {
	f := &fakeCore{rb: rb, st: fold.NewState(rb), now: t0, done: make(chan struct{}), refuse: map[string]string{}}
	f.emit("alice", event.KindSessionOpened, "", "", map[string]string{"operator": "alice", "host": "ops-1"})
	return f
}

// emit appends one event: folds it and wakes the subscribers. Time moves on
// by a second per event.
func (f *fakeCore) emit(actor, kind, phase, item string, payload any) {
	f.mu.Lock()
	var raw json.RawMessage
	if payload != nil {
		raw, _ = json.Marshal(payload)
	}
	f.seq++
	f.st.Apply(audit.Event{Seq: f.seq, Session: "s-0042", Time: f.now, Actor: actor, Kind: kind, Phase: phase, Item: item, Payload: raw})
	f.now = f.now.Add(time.Second)
	subs := append([]chan struct{}(nil), f.subs...)
	f.mu.Unlock()
	for _, ch := range subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

func (f *fakeCore) setLive(item string, p ...engine.Progress) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.live == nil {
		f.live = map[string][]engine.Progress{}
	}
	if len(p) == 0 {
		delete(f.live, item)
		return
	}
	f.live[item] = p
}

func (f *fakeCore) Runbook() *runbook.Runbook { return f.rb }

func (f *fakeCore) State() fold.State {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.st.Clone()
}

func (f *fakeCore) Subscribe() (<-chan struct{}, func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := make(chan struct{}, 1)
	f.subs = append(f.subs, ch)
	return ch, func() {}
}

func (f *fakeCore) Live() map[string][]engine.Progress {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[string][]engine.Progress, len(f.live))
	for k, v := range f.live {
		out[k] = append([]engine.Progress(nil), v...)
	}
	return out
}

func (f *fakeCore) Done() <-chan struct{} { return f.done }
func (f *fakeCore) Err() error            { return f.err }

func (f *fakeCore) Do(a session.Action) error {
	f.mu.Lock()
	f.actions = append(f.actions, a)
	why, refused := f.refuse[a.ActionName()]
	react := f.react
	f.mu.Unlock()
	if refused {
		return &session.RefusedError{Action: a.ActionName(), Reason: why}
	}
	if react != nil {
		react(f, a)
	}
	return nil
}

func (f *fakeCore) Close(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed++
	return nil
}

func (f *fakeCore) last() session.Action {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.actions) == 0 {
		return nil
	}
	return f.actions[len(f.actions)-1]
}

// watcher is a core seen through a Source only, as a watcher or a replay sees it.
type watcher struct{ Source }
