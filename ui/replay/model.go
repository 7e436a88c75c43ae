package replay

import (
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"runway/runbook/audit"
	"runway/runbook/fold"
	"runway/ui/console"
	"runway/ui/style"
)

// Speeds are the playback speeds, slowest first.
var Speeds = []int{1, 2, 4, 8, 16, 32, 64}

// Options configure a replay.
type Options struct {
	Renderer  *lipgloss.Renderer // the terminal's renderer; nil means lipgloss' default
	AuditPath string             // shown in the header
	Chain     audit.Report       // the hash-chain check, run before the replay opens
	ChainErr  error              // why the check could not run, if it could not
	Frame     time.Duration      // how often the cursor moves while playing; 0 means 50ms
}

// Model is a replay: the console in observer mode showing the fold at the
// cursor, with the hash-chain result on the rule under the header, the
// timeline on the status line and the replay's keys in the footer.
type Model struct {
	tl   *Timeline
	src  *source
	con  console.Model
	opts Options
	sty  style.Styles
	keys KeyMap
	help help.Model

	cur     int           // events applied: the screen shows the fold of events[:cur]
	st      fold.State    // that fold; never changed, a move builds a new one
	pos     time.Duration // play time of the cursor
	speed   int           // index into Speeds
	playing bool
	gen     int       // frame generation: frames of an earlier play are dropped
	last    time.Time // time of the last frame while playing
	filter  MarkKind  // which marks [ and ] jump to

	input    *lineInput // the seek prompt, when open
	full     bool       // the help screen is shown
	text     bool       // the runbook text is shown
	textTop  int        // its first line shown
	note     string     // the last key's outcome, until the next key
	noteFail bool

	width, height int
}

// frameMsg moves the cursor while playing.
type frameMsg struct {
	gen int
	at  time.Time
}

// New opens a replay of tl at its first event, paused, at 1×.
func New(tl *Timeline, opts Options) Model {
	if opts.Renderer == nil {
		opts.Renderer = lipgloss.DefaultRenderer()
	}
	if opts.Frame <= 0 {
		opts.Frame = 50 * time.Millisecond
	}
	start := min(1, tl.Len())
	st := tl.StateAt(start)
	src := newSource(tl.Runbook(), st, clockAt(tl, start))
	con := console.New(src, console.Options{
		Renderer: opts.Renderer, AuditPath: opts.AuditPath, Observer: true, Now: src.now, Mode: "replay",
	})
	sty := style.New(opts.Renderer)
	m := Model{
		tl: tl, src: src, con: con, opts: opts, sty: sty, keys: Keys(), help: sty.HelpModel(),
		cur: start, st: st,
	}
	m.updateKeys()
	return m
}

// clockAt is the wall time at cursor c: the time of the event at it.
func clockAt(tl *Timeline, c int) time.Time {
	if c <= 0 || tl.Len() == 0 {
		return tl.Info().Started
	}
	return tl.Event(c - 1).Time
}

// Init starts the console.
func (m Model) Init() tea.Cmd { return m.con.Init() }

// Release unsubscribes the console and ends the replay's source.
func (m Model) Release() {
	m.con.Release()
	m.src.close()
}

// Cursor is the number of events applied.
func (m Model) Cursor() int { return m.cur }

// State is the fold at the cursor.
func (m Model) State() fold.State { return m.st }

// Playing reports whether the replay is playing.
func (m Model) Playing() bool { return m.playing }

// Speed is the playback speed, 1 to 64.
func (m Model) Speed() int { return Speeds[m.speed] }

// Console is the console model inside.
func (m Model) Console() console.Model { return m.con }

// moveTo puts the cursor at c and shows the fold there. Unless playing, the
// play position follows the cursor.
func (m *Model) moveTo(c int) {
	c = min(max(c, min(1, m.tl.Len())), m.tl.Len())
	if c != m.cur {
		m.st = m.tl.Advance(m.st, m.cur, c)
		m.cur = c
		m.src.publish(m.st, clockAt(m.tl, c))
	}
	if !m.playing {
		m.pos = m.tl.PlayTime(c)
	}
	m.updateKeys()
}

// updateKeys switches bindings on and off so the footer lists what works.
func (m *Model) updateKeys() {
	k := &m.keys
	n := m.tl.Len()
	lo := min(1, n)
	k.Step.SetEnabled(m.cur < n)
	k.Back.SetEnabled(m.cur > lo)
	k.Start.SetEnabled(m.cur > lo)
	k.End.SetEnabled(m.cur < n)
	k.Next.SetEnabled(m.tl.nextMark(m.cur, m.filter) > 0)
	k.Prev.SetEnabled(m.tl.prevMark(m.cur, m.filter) > 0)
	k.Faster.SetEnabled(m.speed < len(Speeds)-1)
	k.Slower.SetEnabled(m.speed > 0)
	what := "mark"
	if m.filter != MarkAny {
		what = m.filter.String()
	}
	k.Next.SetHelp("]", "next "+what)
	k.Prev.SetHelp("[", "prev "+what)
	if m.filter == MarkAny {
		k.Filter.SetHelp("m", "marks: all")
	} else {
		k.Filter.SetHelp("m", "marks: "+filterName(m.filter))
	}
	if m.playing {
		k.Play.SetHelp("space", "pause")
	} else {
		k.Play.SetHelp("space", "play")
	}
}

// filterName is the mark filter in words.
func filterName(k MarkKind) string {
	if k == MarkAny {
		return "all marks"
	}
	return k.String() + "s"
}

// frame asks for the next frame while playing.
func (m Model) frame() tea.Cmd {
	gen := m.gen
	return tea.Tick(m.opts.Frame, func(t time.Time) tea.Msg { return frameMsg{gen: gen, at: t} })
}
