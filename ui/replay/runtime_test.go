package replay

import (
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// program runs a model's commands as bubbletea would, each in a goroutine,
// so that the console inside re-reads the state the replay publishes. It
// lets tests and benchmarks see the screen the console draws at the cursor.
type program struct {
	tb   testing.TB
	m    Model
	msgs chan tea.Msg
}

func run(tb testing.TB, m Model) *program {
	p := &program{tb: tb, m: m, msgs: make(chan tea.Msg, 1024)}
	p.exec(m.Init())
	p.settle()
	return p
}

func (p *program) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		switch msg := cmd().(type) {
		case nil:
		case tea.BatchMsg:
			for _, c := range msg {
				p.exec(c)
			}
		default:
			p.msgs <- msg
		}
	}()
}

// send gives the model one message and settles.
func (p *program) send(msg tea.Msg) {
	next, cmd := p.m.Update(msg)
	p.m = next.(Model)
	p.exec(cmd)
	p.settle()
}

// press sends keys and settles.
func (p *program) press(keys ...string) {
	for _, k := range keys {
		p.send(keyMsg(k))
	}
}

// settle feeds the console's messages back until it shows the state at
// the replay's cursor. Frames are not fed back: tests send their own.
func (p *program) settle() {
	deadline := time.After(10 * time.Second)
	for p.m.Console().State().Seq != p.m.State().Seq {
		select {
		case msg := <-p.msgs:
			if _, frame := msg.(frameMsg); frame {
				continue
			}
			if fmt.Sprintf("%T", msg) == "console.liveMsg" {
				continue // the console's clock tick; tests don't need it
			}
			next, cmd := p.m.Update(msg)
			p.m = next.(Model)
			p.exec(cmd)
		case <-deadline:
			p.tb.Fatalf("the console never showed the state at cursor %d", p.m.Cursor())
		}
	}
}
