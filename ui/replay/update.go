package replay

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"runway/ui/console"
	"runway/ui/keys"
)

// maxFrameGap bounds one frame's step, so a stalled terminal does not make
// the replay leap.
const maxFrameGap = 250 * time.Millisecond

// Update handles one message. Moving the cursor builds the fold at the new
// cursor (from the nearest snapshot, or from the state it had) and
// publishes it to the console; nothing waits.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.Width = msg.Width
	case frameMsg:
		return m.onFrame(msg)
	case tea.KeyMsg:
		return keys.OneByOne(m, msg, Model.key)
	}
	return m.toConsole(msg)
}

// toConsole passes a message on to the console.
func (m Model) toConsole(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := m.con.Update(msg)
	m.con = next.(console.Model)
	return m, cmd
}

// onFrame advances the play position by the time since the last frame
// times the speed, and the cursor to the last event due by then: however
// many events that passes, the screen draws only the state it reaches.
func (m Model) onFrame(f frameMsg) (tea.Model, tea.Cmd) {
	if f.gen != m.gen || !m.playing {
		return m, nil
	}
	if !m.last.IsZero() {
		dt := min(max(f.at.Sub(m.last), 0), maxFrameGap)
		m.pos += dt * time.Duration(Speeds[m.speed])
	}
	m.last = f.at
	m.moveTo(m.tl.At(m.pos))
	if m.cur >= m.tl.Len() {
		m.playing = false
		m.pos = m.tl.PlayTime(m.cur)
		m.setNote("end of the session", false)
		m.updateKeys()
		return m, nil
	}
	return m, m.frame()
}

// key handles a key press: the seek prompt first, then the help and text
// screens, then the replay's keys; the console's keys for looking around
// are passed on.
func (m Model) key(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if m.input != nil {
		return m.seekKey(msg)
	}
	k := m.keys
	m.note, m.noteFail = "", false
	if key.Matches(msg, k.Quit) {
		return m, tea.Quit
	}
	if m.width < 80 || m.height < 24 {
		return m, nil // the console's compact view has no room for the replay's frame
	}
	if msg.Type == tea.KeyEsc {
		m.full, m.text = false, false
		return m, nil
	}
	if key.Matches(msg, k.Help) {
		m.full, m.text = !m.full, false
		return m, nil
	}
	if key.Matches(msg, k.Text) {
		m.text, m.full = !m.text, false
		return m, nil
	}
	if m.text && m.scrollText(msg) {
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Play):
		return m.togglePlay()
	case key.Matches(msg, k.Faster):
		m.speed = min(m.speed+1, len(Speeds)-1)
	case key.Matches(msg, k.Slower):
		m.speed = max(m.speed-1, 0)
	case key.Matches(msg, k.Step):
		m.pause()
		m.moveTo(m.cur + 1)
	case key.Matches(msg, k.Back):
		m.pause()
		m.moveTo(m.cur - 1)
	case key.Matches(msg, k.Next):
		m.jump(m.tl.nextMark(m.cur, m.filter), "later")
	case key.Matches(msg, k.Prev):
		m.jump(m.tl.prevMark(m.cur, m.filter), "earlier")
	case key.Matches(msg, k.Filter):
		m.filter = (m.filter + 1) % (MarkNote + 1)
		m.setNote("[ and ] jump to "+filterName(m.filter), false)
	case key.Matches(msg, k.Start):
		m.pause()
		m.moveTo(0)
	case key.Matches(msg, k.End):
		m.pause()
		m.moveTo(m.tl.Len())
	case key.Matches(msg, k.Tenths):
		m.pause()
		m.moveTo(percent(m.tl.Len(), float64(msg.Runes[0]-'0')*10))
	case key.Matches(msg, k.Seek):
		m.pause()
		m.input = &lineInput{}
	case key.Matches(msg, k.Item, k.Phase, k.Scroll):
		m.full, m.text = false, false
		return m.toConsole(msg)
	// ] and [ are disabled (so not in the footer) when no mark lies that way: say so.
	case named(msg, k.Next):
		m.jump(-1, "later")
	case named(msg, k.Prev):
		m.jump(-1, "earlier")
	default:
		if isMutating(msg) {
			m.setNote(fmt.Sprintf("✗ %s: a replay only plays the log back", msg.String()), true)
		}
	}
	m.updateKeys()
	return m, nil
}

// togglePlay starts or pauses playback; play at the end starts over.
func (m Model) togglePlay() (tea.Model, tea.Cmd) {
	if m.playing {
		m.pause()
		m.updateKeys()
		return m, nil
	}
	if m.cur >= m.tl.Len() {
		m.moveTo(0)
	}
	m.playing, m.last = true, time.Time{}
	m.gen++
	m.updateKeys()
	return m, m.frame()
}

// pause stops playback where it is.
func (m *Model) pause() {
	if m.playing {
		m.playing = false
		m.pos = m.tl.PlayTime(m.cur)
	}
}

// jump moves to a mark, or says there is none that way.
func (m *Model) jump(c int, way string) {
	if c < 0 {
		what := "mark"
		if m.filter != MarkAny {
			what = m.filter.String()
		}
		m.setNote(fmt.Sprintf("no %s %s than this point", what, way), false)
		return
	}
	m.pause()
	m.moveTo(c)
}

func (m *Model) setNote(text string, fail bool) { m.note, m.noteFail = text, fail }

// percent is the cursor at p percent of n events.
func percent(n int, p float64) int {
	return int(float64(n)*p/100 + 0.5)
}

// mutating are the console's keys that would act on a live session.
var mutating = func() []key.Binding {
	k := keys.Default()
	var out []key.Binding
	for _, b := range k.Mutating() {
		out = append(out, *b)
	}
	return out
}()

func isMutating(msg tea.KeyMsg) bool { return key.Matches(msg, mutating...) }

// named reports whether msg is one of b's keys, enabled or not.
func named(msg tea.KeyMsg, b key.Binding) bool {
	for _, k := range b.Keys() {
		if msg.String() == k {
			return true
		}
	}
	return false
}
