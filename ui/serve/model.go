package serve

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"runway/runbook/fold"
	"runway/runbook/session"
	"runway/ui/console"
	"runway/ui/keys"
	"runway/ui/style"
)

// model is one participant's program: the console on the shared session,
// plus the pairing keys (hand over, take back) and a pairing line that says
// who you are, who has control and who is here. It owns no session state:
// control comes from the session's fold, presence from the room.
type model struct {
	con  console.Model
	core *session.Session
	me   session.Participant
	lead string // the session's operator: holds control while nobody was handed it
	room *room
	wake <-chan struct{}
	quit func() // stops listening to the room

	sty  style.Styles
	keys pairKeys
	cmap keys.KeyMap // the console's key map, to name an observer's attempt

	here   []session.Participant
	holder string
	note   note
	pick   *picker
	now    func() time.Time
	tried  time.Time // when an observer's attempt was last recorded
	width  int
	height int
}

// note is the outcome of the last pairing key, shown until the next key.
type note struct {
	text string
	fail bool
}

// pairKeys are the keys the pairing layer answers to; the console never
// sees them.
type pairKeys struct {
	Give, Take key.Binding
}

func defaultPairKeys() pairKeys {
	return pairKeys{
		Give: key.NewBinding(key.WithKeys("ctrl+g"), key.WithHelp("ctrl+g", "hand over")),
		Take: key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "take control")),
	}
}

// hereMsg carries who is connected after an arrival or a departure.
type hereMsg struct{ here []session.Participant }

// pairDoneMsg is the outcome of a pairing action.
type pairDoneMsg struct {
	ok  string // what to say when it was recorded
	err error
}

// attemptMinGap spaces an observer's recorded attempts: holding a key down
// records one refusal a second, not one per repeat.
const attemptMinGap = time.Second

// newModel builds a participant's program on the shared session.
func newModel(core *session.Session, me session.Participant, r *room, opts console.Options) model {
	opts.Operator = me.Name
	opts.Observer = me.Role == session.RoleObserver
	// The keys follow the core's own role and control rule, so the console
	// offers exactly what DoAs accepts; quitting only leaves.
	lead := core.Operator()
	opts.Can = func(st fold.State, a session.Action) error { return session.Allowed(st, lead, me, a) }
	opts.LeaveOnly = true
	m := model{
		con:  console.New(seat{Session: core, who: me}, opts),
		core: core,
		me:   me,
		lead: lead,
		room: r,
		sty:  style.New(opts.Renderer),
		keys: defaultPairKeys(),
		cmap: keys.Default(),
		here: r.here(),
		now:  time.Now,
	}
	m.wake, m.quit = r.subscribe()
	m.holder = m.holderOf(m.con.State())
	return m
}

// release stops listening to the session and the room.
func (m model) release() {
	m.con.Release()
	m.quit()
}

func (m model) Init() tea.Cmd { return tea.Batch(m.con.Init(), m.waitRoom()) }

// waitRoom waits for the next arrival or departure.
func (m model) waitRoom() tea.Cmd {
	wake, r := m.wake, m.room
	return func() tea.Msg {
		if _, ok := <-wake; !ok {
			return nil
		}
		return hereMsg{r.here()}
	}
}

// holderOf is who holds control in st.
func (m model) holderOf(st fold.State) string {
	if st.Controller != "" {
		return st.Controller
	}
	return m.lead
}

// Update handles the pairing keys and messages and hands the rest to the
// console. It does no I/O: actions run in commands.
func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case hereMsg:
		m.here = msg.here
		return m, m.waitRoom()
	case pairDoneMsg:
		m.note = outcome(msg)
		return m, nil
	case tea.KeyMsg:
		next, cmd, ok := m.key(msg)
		if ok {
			return next, cmd
		}
		m = next
	}
	con, cmd := m.con.Update(msg)
	m.con = con.(console.Model)
	m.followControl()
	return m, cmd
}

// followControl says so when control changes hands.
func (m *model) followControl() {
	h := m.holderOf(m.con.State())
	if h == m.holder {
		return
	}
	m.holder = h
	if h == m.me.Name {
		m.note = note{text: "◆ you have control"}
	} else {
		m.note = note{text: "◆ control is now with " + h}
	}
}

// key takes the pairing keys, and an observer's attempts to act; ok is
// false for a key the console should have.
func (m model) key(msg tea.KeyMsg) (model, tea.Cmd, bool) {
	if m.pick != nil {
		return m.pickKey(msg)
	}
	switch {
	case key.Matches(msg, m.keys.Give):
		m.note = note{}
		return m.give()
	case key.Matches(msg, m.keys.Take):
		m.note = note{}
		return m, m.do("you have control", session.TakeControl{}), true
	}
	if m.me.Role == session.RoleObserver {
		if a := attempt(m.cmap, msg); a != nil {
			return m.attempt(a)
		}
	}
	m.note = note{}
	return m, nil, false
}

// give opens the chooser of whom to hand control to. Someone who may not
// hand it over asks anyway, so that the core refuses and records it.
func (m model) give() (model, tea.Cmd, bool) {
	if m.me.Role != session.RoleLead && m.holder != m.me.Name {
		return m, m.do("", session.HandControl{}), true
	}
	var to []session.Participant
	for _, p := range m.here {
		if p.Role.CanDrive() && p.Name != m.holder {
			to = append(to, p)
		}
	}
	if len(to) == 0 {
		m.note = note{text: "✗ nobody else who may drive is connected", fail: true}
		return m, nil, true
	}
	m.pick = &picker{to: to}
	return m, nil, true
}

// attempt sends an observer's attempt to the core, which refuses and
// records it, at most once per attemptMinGap.
func (m model) attempt(a session.Action) (model, tea.Cmd, bool) {
	now := m.now()
	if now.Sub(m.tried) < attemptMinGap {
		return m, nil, true
	}
	m.tried = now
	m.note = note{}
	return m, m.do("", a), true
}

// do sends a pairing action as this participant.
func (m model) do(ok string, a session.Action) tea.Cmd {
	core, me := m.core, m.me
	return func() tea.Msg { return pairDoneMsg{ok: ok, err: core.DoAs(me, a)} }
}

// attempt is the action a console key stands for, for an observer's key
// that the console would only disable. Enter is left to the console: it
// also opens a procedure in a read-only dialog.
func attempt(k keys.KeyMap, msg tea.KeyMsg) session.Action {
	switch {
	case key.Matches(msg, k.RunPhase):
		return session.RunPhase{}
	case key.Matches(msg, k.SignOff):
		return session.SignOff{}
	case key.Matches(msg, k.Skip):
		return session.Skip{}
	case key.Matches(msg, k.Retry):
		return session.Retry{}
	case key.Matches(msg, k.Override):
		return session.Override{}
	case key.Matches(msg, k.Approve):
		return session.ApproveOverride{}
	case key.Matches(msg, k.Rollback):
		return session.Rollback{}
	case key.Matches(msg, k.Pause):
		return session.PauseEngine{}
	case key.Matches(msg, k.Faster), key.Matches(msg, k.Slower):
		return session.SetRate{}
	case key.Matches(msg, k.Note):
		return session.Note{}
	}
	return nil
}
