package console

import (
	"fmt"
	"github.com/dustin/go-humanize"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"runway/runbook/session"
	"runway/ui/inert"
)

// maxRate is the highest rate limit typed in, in rows/s.
const maxRate = 1_000_000_000

// rate raises or lowers the selected engine's rate limit to the next round
// rate on the ladder. An engine without a limit gets the round rate below
// what it does now.
func (m Model) rate(dir int) tea.Cmd {
	sel := m.selected()
	cur := engineRate(sel)
	if cur == 0 {
		var now float64
		for _, t := range m.tables(sel) {
			now += t.rate
		}
		cur = int(now)
	}
	next := nextRate(cur, dir)
	if next <= 0 {
		return nil
	}
	return m.do(fmt.Sprintf("rate of %s (%s rows/s)", sel.item.ID, humanize.Comma(int64(next))),
		session.SetRate{Item: sel.item.ID, Rate: next, Actor: m.actor()})
}

// ladder are the round rates, per power of ten, that + and - step through:
// about a quarter apart, so 5,000 goes to 6,000, 8,000, 10,000, 15,000.
var ladder = []float64{1, 1.5, 2, 2.5, 3, 4, 5, 6, 8}

// nextRate is the round rate above cur (dir > 0) or below it, never below
// 1 row/s; 0 when cur is not a rate.
func nextRate(cur, dir int) int {
	if cur <= 0 {
		return 0
	}
	prev := 1
	for unit := 1.0; unit <= maxRate; unit *= 10 {
		for _, step := range ladder {
			v := step * unit
			if v != float64(int(v)) {
				continue // 1.5 row/s is no rate
			}
			switch r := min(int(v), maxRate); {
			case dir > 0 && r > cur:
				return r
			case dir <= 0 && r >= cur:
				return prev
			default:
				prev = r
			}
		}
	}
	if dir > 0 {
		return min(cur, maxRate)
	}
	return prev
}

// setRate sends a rate limit typed by the lead; 0 removes the limit.
func (m Model) setRate(item string, rate int) tea.Cmd {
	what := fmt.Sprintf("rate of %s (%s rows/s)", item, humanize.Comma(int64(rate)))
	if rate == 0 {
		what = "rate of " + item + " (no limit)"
	}
	return m.do(what, session.SetRate{Item: item, Rate: rate, Actor: m.actor()})
}

// rateDialog asks for the selected engine's rate limit, filled with the
// current one.
func (m Model) rateDialog() dialog {
	sel := m.selected()
	cur := engineRate(sel)
	value := ""
	if cur > 0 {
		value = strconv.Itoa(cur)
	}
	item := sel.item.ID
	return textDialog{
		title: "Set the rate limit", about: func(m Model) []string { return m.rateNow(item) }, prompt: "Rows per second (20000, 20k; 0 removes the limit):",
		input: m.lineField(20, value), action: "set rate", required: "type a rate, or 0 for no limit",
		check: func(text string) string {
			_, why := parseRate(text)
			return why
		},
		submit: func(m Model, text, _ string) (Model, tea.Cmd) {
			rate, _ := parseRate(text)
			return m, m.setRate(item, rate)
		},
	}
}

// rateNow is what the rate dialog says about an engine, read when it is
// drawn, so it stays true while the dialog is open: the item, its rate
// limit now and what it does.
func (m Model) rateNow(item string) []string {
	sel := m.selected()
	if sel.item == nil || sel.item.ID != item {
		return nil
	}
	now := 0.0
	for _, t := range m.tables(sel) {
		now += t.rate
	}
	line := "No rate limit now"
	if cur := engineRate(sel); cur > 0 {
		line = "Rate limit now " + humanize.Comma(int64(cur)) + " rows/s"
	}
	return append(m.aboutItem(sel), fmt.Sprintf("%s; the engine does %s rows/s.", line, humanize.Comma(int64(now+0.5))))
}

// parseRate reads a rate in rows/s: digits with optional separators
// (20,000 or 20_000), an optional k or m suffix, an optional "/s" or
// "rows/s". It returns the rate, or why the text is not one.
func parseRate(text string) (int, string) {
	s := strings.ToLower(strings.Join(strings.Fields(text), ""))
	for _, unit := range []string{"rows/s", "/s"} {
		s = strings.TrimSuffix(s, unit)
	}
	s = strings.NewReplacer(",", "", "_", "").Replace(s)
	mult := 1.0
	switch {
	case strings.HasSuffix(s, "k"):
		s, mult = strings.TrimSuffix(s, "k"), 1e3
	case strings.HasSuffix(s, "m"):
		s, mult = strings.TrimSuffix(s, "m"), 1e6
	}
	if strings.HasPrefix(s, "-") {
		return 0, "a rate cannot be negative"
	}
	f, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil || strings.Trim(s, "0123456789.") != "":
		return 0, fmt.Sprintf("%q is not a rate: type rows per second, like 20000 or 20k", inert.OneLine(text))
	case f*mult > maxRate:
		return 0, "at most " + humanize.Comma(maxRate) + " rows/s"
	}
	rate := int(f*mult + 0.5)
	if rate == 0 && f > 0 {
		return 0, "at least 1 row/s, or 0 for no limit"
	}
	return rate, ""
}
