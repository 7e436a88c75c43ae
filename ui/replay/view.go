package replay

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dustin/go-humanize"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"runway/runbook/event"
	"runway/ui/console"

	"runway/runbook/text"
	"runway/ui/inert"
)

// View is the console's screen at the cursor with the replay's own lines in
// its frame: the hash-chain result on the rule under the header, the
// timeline in the status row and the replay's keys in the footer. The help
// and runbook text screens take the body.
func (m Model) View() string {
	f := console.Frame{Rule: m.chainLine(), Notice: m.timelineLine(), Footer: m.footer()}
	switch {
	case m.full:
		f.Body = strings.Split(m.help.FullHelpView(m.keys.FullHelp()), "\n")
	case m.text:
		f.Body = m.textLines(m.con.BodyRows())
	}
	return m.con.ViewWith(f)
}

// chainLine is the result of the hash-chain check: it never leaves the screen.
func (m Model) chainLine() string {
	s := m.sty
	c := m.opts.Chain
	var text string
	sty := s.OK
	switch {
	case m.opts.ChainErr != nil:
		sty, text = s.Fail, "✗ hash chain not checked: "+inert.OneLine(m.opts.ChainErr.Error())
	case !c.OK:
		sty, text = s.Fail, "✗ TAMPERED: "+inert.OneLine(c.Reason)
	default:
		text = fmt.Sprintf("✓ hash chain intact: %s events", humanize.Comma(c.Events))
		if c.Sessions > 1 {
			text += fmt.Sprintf(" in %d sessions", c.Sessions)
		}
	}
	return s.TitledRule(sty, text, m.width)
}

// timelineLine is where the replay stands: playing or not, speed, position,
// the time at the cursor, and the event there (or the last key's outcome).
func (m Model) timelineLine() string {
	s := m.sty
	if m.input != nil {
		prompt := "seek to (50%, 1234, 14:03, +1h30m): " + string(m.input.text) + "█"
		return s.Key.Render(cut(prompt, m.width))
	}
	n := m.tl.Len()
	icon := "‖"
	switch {
	case m.playing:
		icon = "▶"
	case m.cur >= n:
		icon = "■"
	}
	parts := []string{
		fmt.Sprintf("%s %d×", icon, Speeds[m.speed]),
		humanize.Comma(int64(m.cur)) + "/" + humanize.Comma(int64(n)),
	}
	at := clockAt(m.tl, m.cur)
	parts = append(parts, at.Local().Format("15:04:05")+" +"+text.Clock(at.Sub(m.tl.Info().Started)))
	head := strings.Join(parts, " · ")
	var tail string
	sty := s.Muted
	switch {
	case m.note != "":
		tail = inert.Line(m.note)
		if m.noteFail {
			sty = s.Fail
		}
	case m.cur > 0:
		tail = m.eventWords(m.cur - 1)
		if k, ok := m.tl.markAt(m.cur); ok && k == MarkFailure {
			sty = s.Fail
		} else if ok {
			sty = s.Warn
		}
	}
	line := s.Text.Render(head)
	if tail != "" {
		line += s.Muted.Render(" · ") + sty.Render(tail)
	}
	return cut(line, m.width)
}

// eventWords is an event as the timeline names it: its mark, where and
// what happened (in the event's own words, event.Describe, as the plain
// runner says them), and the idle time before it that play shortened.
func (m Model) eventWords(i int) string {
	e := m.tl.Event(i)
	where := e.Phase
	if e.Item != "" {
		where += "/" + e.Item
	}
	if where == "" {
		where = "session"
	}
	w := where + " " + event.Describe(e).What
	if k, ok := markOf(e); ok {
		w = k.Icon() + " " + w
	}
	if g := m.tl.Gap(i); g > 0 {
		w += " (after " + text.Short(g) + " idle)"
	}
	return inert.OneLine(w)
}

// footer lists the replay's keys that work now, most used first, help and
// quit always last; a pair of keys that both work shares one entry.
func (m Model) footer() string {
	hs := m.sty.Help
	sep := hs.ShortSeparator.Render(" · ")
	item := func(keys, desc string) string { return hs.ShortKey.Render(keys) + " " + hs.ShortDesc.Render(desc) }
	one := func(b key.Binding) string { return item(b.Help().Key, b.Help().Desc) }
	if m.input != nil {
		return cut(item("enter", "seek")+sep+item("esc", "cancel"), m.width)
	}
	k := m.keys
	var items []string
	add := func(b key.Binding) {
		if b.Enabled() {
			items = append(items, one(b))
		}
	}
	pair := func(a, b key.Binding, keys, desc string) {
		if a.Enabled() && b.Enabled() {
			items = append(items, item(keys, desc))
			return
		}
		add(a)
		add(b)
	}
	if m.text {
		add(k.Line)
		add(k.Page)
		add(k.Close)
	} else {
		add(k.Play)
		pair(k.Back, k.Step, "←/→", "step")
		what := "mark"
		if m.filter != MarkAny {
			what = m.filter.String()
		}
		pair(k.Prev, k.Next, "[/]", what)
		pair(k.Faster, k.Slower, "+/-", "speed")
		add(k.Seek)
		add(k.Text)
		add(k.Filter)
		pair(k.Start, k.End, "g/G", "start/end")
	}
	tail := one(k.Help) + sep + one(k.Quit)
	room := m.width - ansi.StringWidth(tail) - ansi.StringWidth(sep)
	var head []string
	used := 0
	for _, it := range items {
		w := ansi.StringWidth(it) + ansi.StringWidth(sep)
		if used+w > room {
			break
		}
		head = append(head, it)
		used += w
	}
	return cut(strings.Join(append(head, tail), sep), m.width)
}

// textLines are the runbook text stored with the session, from textTop.
func (m Model) textLines(rows int) []string {
	s := m.sty
	info := m.tl.Info()
	title := "RUNBOOK as stored with the session"
	if sha := info.RunbookSHA; len(sha) >= 12 {
		title += " · sha256 " + sha[:12]
	}
	if info.RunbookPath != "" {
		title += " · " + inert.Line(info.RunbookPath)
	}
	out := []string{s.Section.Render(cut(title, m.width))}
	text := m.textBody()
	top := min(m.textTop, max(len(text)-(rows-1), 0))
	numW := len(strconv.Itoa(len(text)))
	for i := top; i < len(text) && len(out) < rows; i++ {
		num := s.Muted.Render(fmt.Sprintf("%*d ", numW, i+1))
		line := inert.Line(strings.ReplaceAll(strings.TrimSuffix(text[i], "\r"), "\t", "    "))
		out = append(out, num+cut(line, m.width-numW-1))
	}
	return out
}

// textBody is the stored runbook text, one entry per line.
func (m Model) textBody() []string {
	return strings.Split(strings.TrimRight(string(m.tl.Info().RunbookText), "\n"), "\n")
}

// scrollText moves the runbook text; it reports whether the key was for it.
func (m *Model) scrollText(msg interface{ String() string }) bool {
	page := max(m.height-6, 1)
	n := len(m.textBody())
	switch msg.String() {
	case "up", "k":
		m.textTop--
	case "down", "j":
		m.textTop++
	case "pgup", "ctrl+u":
		m.textTop -= page
	case "pgdown", "ctrl+d", " ":
		m.textTop += page
	case "home", "g":
		m.textTop = 0
	case "end", "G":
		m.textTop = n
	default:
		return false
	}
	m.textTop = min(max(m.textTop, 0), max(n-page, 0))
	return true
}

// cut cuts s to at most w cells, ending it with … when it was longer.
func cut(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) > w {
		return ansi.Truncate(s, w, "…")
	}
	return s
}
