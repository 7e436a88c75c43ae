package replay

import (
	"fmt"
	"github.com/dustin/go-humanize"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// lineInput is the seek prompt's text.
type lineInput struct{ text []rune }

// seekKey edits the seek prompt; enter seeks, esc cancels.
func (m Model) seekKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch msg.Type {
	case tea.KeyEsc, tea.KeyCtrlC:
		m.input = nil
	case tea.KeyEnter:
		text := string(m.input.text)
		m.input = nil
		if strings.TrimSpace(text) == "" {
			break
		}
		c, err := m.parseSeek(text)
		if err != nil {
			m.setNote("✗ "+err.Error(), true)
			break
		}
		m.moveTo(c)
	case tea.KeyBackspace:
		if n := len(m.input.text); n > 0 {
			m.input = &lineInput{text: m.input.text[:n-1]}
		}
	case tea.KeyRunes, tea.KeySpace:
		if len(m.input.text) < 40 {
			text := append(append([]rune(nil), m.input.text...), msg.Runes...)
			if msg.Type == tea.KeySpace {
				text = append(text, ' ')
			}
			m.input = &lineInput{text: text}
		}
	}
	m.updateKeys()
	return m, nil
}

// parseSeek reads a seek target: "50%" of the events, an event number
// ("1234" or "#1234"), a wall-clock time on the session's first day
// ("14:03" or "14:03:22", local time) or an offset from its start ("+1h30m").
func (m Model) parseSeek(text string) (int, error) {
	s := strings.TrimSpace(text)
	n := m.tl.Len()
	bad := fmt.Errorf("seek: cannot read %q: use 50%%, 1234, 14:03 or +1h30m", s)
	switch {
	case strings.HasSuffix(s, "%"):
		p, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(s, "%")), 64)
		if err != nil || p < 0 || p > 100 {
			return 0, bad
		}
		return percent(n, p), nil
	case strings.HasPrefix(s, "+"):
		d, err := time.ParseDuration(s[1:])
		if err != nil || d < 0 {
			return 0, bad
		}
		return m.tl.Find(m.tl.Info().Started.Add(d)), nil
	case strings.Contains(s, ":"):
		return m.seekClock(s, bad)
	}
	i, err := strconv.Atoi(strings.TrimPrefix(s, "#"))
	if err != nil || i < 0 {
		return 0, bad
	}
	if i > n {
		return 0, fmt.Errorf("seek: the session has %s events", humanize.Comma(int64(n)))
	}
	return i, nil
}

// seekClock finds a local wall-clock time on the day the session started,
// or on the next day when that time had passed at the start.
func (m Model) seekClock(s string, bad error) (int, error) {
	var t time.Time
	var err error
	for _, layout := range []string{"15:04:05", "15:04"} {
		if t, err = time.ParseInLocation(layout, s, time.Local); err == nil {
			break
		}
	}
	if err != nil {
		return 0, bad
	}
	start := m.tl.Info().Started
	if m.tl.Len() > 0 {
		start = m.tl.Event(0).Time
	}
	start = start.Local()
	at := time.Date(start.Year(), start.Month(), start.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.Local)
	if at.Before(start.Truncate(time.Minute)) {
		at = at.AddDate(0, 0, 1)
	}
	return m.tl.Find(at), nil
}
