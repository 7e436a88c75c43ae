package console

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"runway/engine"
	"runway/runbook/fold"
	"runway/runbook/session"
)

// stateMsg carries the state re-read after a durable event.
type stateMsg struct{ st fold.State }

// unsubscribedMsg says the event subscription ended.
type unsubscribedMsg struct{}

// liveMsg is a tick: the clock and a sample of the engines' progress.
type liveMsg struct {
	at   time.Time
	live map[string][]engine.Progress
}

// doneMsg is the outcome of an action sent to the session.
type doneMsg struct {
	what string // the action in words, for the status line
	ok   string // what the status line says when it is recorded, when not "<what> recorded"
	err  error  // the refusal, nil when recorded
}

// endedMsg says the session ended, and why.
type endedMsg struct{ err error }

// closedMsg says the session stopped its engines after a quit.
type closedMsg struct{ err error }

// waitEvent waits for the next wake-up and re-reads the state off the UI's goroutine.
func (m Model) waitEvent() tea.Cmd {
	wake, src := m.wake, m.src
	return func() tea.Msg {
		if _, ok := <-wake; !ok {
			return unsubscribedMsg{}
		}
		return stateMsg{src.State()}
	}
}

// tick samples the engines' live progress after one period.
func (m Model) tick() tea.Cmd {
	src, now := m.src, m.opts.Now
	return tea.Tick(m.opts.Tick, func(time.Time) tea.Msg {
		return liveMsg{at: now(), live: src.Live()}
	})
}

// waitDone reports the end of the session.
func (m Model) waitDone() tea.Cmd {
	src := m.src
	return func() tea.Msg {
		<-src.Done()
		return endedMsg{src.Err()}
	}
}

// do sends an action to the session. The screen does not change here: the
// action's event arrives through the subscription like any other.
func (m Model) do(what string, a session.Action) tea.Cmd {
	drv := m.drv
	if drv == nil {
		return nil
	}
	return func() tea.Msg { return doneMsg{what: what, err: drv.Do(a)} }
}

// closeSession stops the engines at a checkpoint before the program quits.
func (m Model) closeSession() tea.Cmd {
	drv := m.drv
	return func() tea.Msg {
		if drv == nil {
			return closedMsg{}
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		return closedMsg{drv.Close(ctx)}
	}
}
