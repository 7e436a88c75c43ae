package watch

import (
	"io"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"runway/ui/console"
	"runway/ui/style"
)

// ModelOptions configure the watcher's screen.
type ModelOptions struct {
	Renderer  *lipgloss.Renderer // the terminal's renderer; nil means lipgloss' default
	AuditPath string             // shown in the header
	Latest    bool               // the session was picked as the latest running one
	Now       func() time.Time   // the clock; nil means time.Now
	Poll      time.Duration      // how often the driver's status is re-read; 0 means 250ms
	// Approve is how the watcher approves a two-person override that waits:
	// the approve key answers with it (console.Options.ApproveElsewhere).
	Approve string
	// Signals is the watcher's terminal: it rings and is titled on a stop
	// as the lead's is (console.Options.Signals).
	Signals io.Writer
}

// Model is the watcher's screen: the console in observer mode on a Source,
// with the rule under its header saying how the driver stands.
type Model struct {
	con  console.Model
	src  *Source
	opts ModelOptions
	sty  style.Styles

	driver  DriverStatus
	readErr error
	last    time.Time // time of the last event folded
	now     time.Time

	width, height int
}

// driverMsg is a sample of the driver's status and of the clock.
type driverMsg struct {
	d       DriverStatus
	readErr error
	last    time.Time
	at      time.Time
}

// New returns the watcher's screen on src.
func New(src *Source, opts ModelOptions) Model {
	if opts.Renderer == nil {
		opts.Renderer = lipgloss.DefaultRenderer()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Poll <= 0 {
		opts.Poll = 250 * time.Millisecond
	}
	// Operator is left empty: the header names the session's operator, not
	// the person watching.
	con := console.New(src, console.Options{
		Renderer: opts.Renderer, AuditPath: opts.AuditPath, Observer: true, Now: opts.Now,
		ApproveElsewhere: opts.Approve, Signals: opts.Signals,
	})
	st := src.State()
	return Model{
		con: con, src: src, opts: opts, sty: style.New(opts.Renderer),
		driver: src.Driver(), readErr: src.ReadErr(), last: st.Last, now: opts.Now(),
	}
}

// Init starts the console and the sampling of the driver's status.
func (m Model) Init() tea.Cmd { return tea.Batch(m.con.Init(), m.poll()) }

// Release unsubscribes the console; call it on the final model.
func (m Model) Release() { m.con.Release() }

// Console is the console model inside.
func (m Model) Console() console.Model { return m.con }

// Driver is the driver's status as last sampled.
func (m Model) Driver() DriverStatus { return m.driver }

// Update gives every message but its own to the console: keys included, so
// the console's observer mode decides what they do (nothing that writes).
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case driverMsg:
		m.driver, m.readErr, m.last, m.now = msg.d, msg.readErr, msg.last, msg.at
		return m, m.poll()
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	}
	next, cmd := m.con.Update(msg)
	m.con = next.(console.Model)
	return m, cmd
}

// poll samples the driver's status after one period.
func (m Model) poll() tea.Cmd {
	src, now := m.src, m.opts.Now
	return tea.Tick(m.opts.Poll, func(time.Time) tea.Msg {
		return driverMsg{d: src.Driver(), readErr: src.ReadErr(), last: src.lastEvent(), at: now()}
	})
}
