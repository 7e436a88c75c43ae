// Package console is the terminal console a migration lead drives a live
// change window from: phases, items, the selected item's detail with live
// engine bars, the stop-rule banner, dialogs for every decision, and a help
// footer generated from the key map.
//
// The console owns no session state. Everything it shows is the session's
// folded State (re-read when the session signals a durable event) and a
// sample of the engines' live progress taken on a tick. Actions go to the
// session in commands; the screen changes when their event comes back.
package console

import (
	"io"
	"time"

	"github.com/charmbracelet/bubbles/progress"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"runway/engine"
	"runway/runbook"
	"runway/runbook/fold"
	"runway/runbook/session"
	"runway/ui/keys"
	"runway/ui/style"
)

// Options configure a console.
type Options struct {
	Renderer  *lipgloss.Renderer // the terminal's renderer; nil means lipgloss' default
	Operator  string             // the actor of every action taken from this console
	AuditPath string             // shown in the header
	Observer  bool               // read-only even when the source is a Driver
	Now       func() time.Time   // the clock; nil means time.Now
	Tick      time.Duration      // how often live progress is sampled; 0 means 100ms

	// Mode is how this console is attached, in the header after the
	// session's state: "replay", "watching". "" means "watching,
	// read-only" in observer mode and nothing for the lead's console.
	Mode string
	// Can says whether this console's user may take an action now, given
	// the state shown: nil, or an error whose text is the one-line reason.
	// A binding whose action it refuses is disabled (the footer drops it,
	// pressing it says why). A pairing seat derives it from the session's
	// own rules (session.Allowed), so keys and enforcement agree. nil
	// means every action the state allows.
	Can func(st fold.State, a session.Action) error
	// LeaveOnly is for a participant who joined someone else's session:
	// quitting only leaves, it never closes the session or stops engines,
	// and the confirmation says so.
	LeaveOnly bool
	// ApproveElsewhere is set outside serve, where this console's user is
	// the process's OS user and can't be the second person of a two-person
	// override: the line telling how to approve from another login. The
	// approve key then answers with it instead of approving.
	ApproveElsewhere string
	// Signals is the terminal the console runs in (the program's output):
	// a stop, a critical failure and an approval request ring its bell, and
	// its title follows the session's state. nil: neither.
	Signals io.Writer
}

// Model is the console's bubbletea model.
type Model struct {
	src  Source
	drv  Driver // nil in observer mode
	rb   *runbook.Runbook
	opts Options

	st     fold.State
	live   map[string][]engine.Progress
	clock  time.Time
	wake   <-chan struct{}
	cancel func()

	sty   style.Styles
	keys  keys.KeyMap
	dkeys keys.DialogKeys
	bar   progress.Model // drawn with ViewAs at each table's width

	width, height int
	phase, item   int // the phase looked at and the item selected in it
	itemTop       int // first item row shown
	scroll        int // first detail line shown
	followed      int // st.Current when the view last followed it
	full          bool
	find          finder // the items filter, / to type it
	trend         trend  // running catch-ups' recent pending counts
	dialog        dialog // nil when none is open
	status        status
	why           map[string]string // why a disabled action key does nothing, by key
	quitting      bool
	tinyQuit      bool  // on the one-line view, a q asked to quit: a second one answers
	ended         bool  // the session's Done channel closed
	endErr        error // …and why

	rung  map[string]bool // the alarms already signalled (bell.go)
	title string          // the terminal title for the state shown
	sig   *signaller      // writes titles and bells; nil: none
	sigN  uint64          // the number of the last signal sent
}

// status is the one-line result of the last action.
type status struct {
	text string
	fail bool
}

// New returns a console on src. It subscribes to src at once, so that no
// event is missed between now and the program's start; Release unsubscribes.
func New(src Source, opts Options) Model {
	if opts.Renderer == nil {
		opts.Renderer = lipgloss.DefaultRenderer()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Tick <= 0 {
		opts.Tick = 100 * time.Millisecond
	}
	m := Model{
		src:   src,
		rb:    src.Runbook(),
		opts:  opts,
		sty:   style.New(opts.Renderer),
		keys:  keys.Default(),
		dkeys: keys.Dialog(),
		clock: opts.Now(),
	}
	if d, ok := src.(Driver); ok && !opts.Observer {
		m.drv = d
	}
	if opts.LeaveOnly {
		m.keys.Quit.SetHelp("q", "leave")
	}
	m.bar = m.sty.Progress()
	m.followed = -1 // start on the session's current phase, at its first open item
	m.wake, m.cancel = src.Subscribe()
	m.setState(src.State())
	m.rung, m.title = m.alarms(m.st), m.windowTitle(m.st)
	if opts.Signals != nil {
		m.sig, m.sigN = &signaller{w: opts.Signals}, 1 // 1: the initial title
	}
	return m
}

// Release unsubscribes from the source; call it on the final model.
func (m Model) Release() {
	if m.cancel != nil {
		m.cancel()
	}
}

// State is the session state the console shows.
func (m Model) State() fold.State { return m.st }

// Init starts waiting for events, sampling live progress and watching for the end.
func (m Model) Init() tea.Cmd {
	return tea.Batch(m.waitEvent(), m.tick(), m.waitDone(), m.initialTitle())
}
