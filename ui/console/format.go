package console

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"runway/ui/inert"
)

// fit cuts s to w cells (ending it with …) and pads it with spaces to exactly w.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := ansi.StringWidth(s)
	if n > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-n)
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

// right places r at the right edge of a line of width w that starts with l.
func right(l, r string, w int) string {
	gap := w - ansi.StringWidth(l) - ansi.StringWidth(r)
	if gap < 1 {
		return cut(l+" "+r, w)
	}
	return l + strings.Repeat(" ", gap) + r
}

// lines makes multi-line text from outside runway (command output, a
// runbook's instructions) inert, keeping its line breaks.
func lines(s string) string {
	return inert.Text(s)
}

// percent writes a fraction as a percentage with one decimal where it matters.
func percent(f float64) string {
	p := f * 100
	if p >= 99.95 && p < 100 {
		// Truncate, never round: a mismatch must not read as 100%.
		return strconv.FormatFloat(math.Floor(p*1000)/1000, 'f', 3, 64) + "%"
	}
	if p > 0 && p < 0.05 {
		return strconv.FormatFloat(p, 'f', 3, 64) + "%"
	}
	return strconv.FormatFloat(p, 'f', 1, 64) + "%"
}

// wrap breaks text into lines of at most w cells, keeping its own line breaks.
func wrap(text string, w int) []string {
	if w <= 0 {
		return nil
	}
	var out []string
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		line = strings.TrimRight(expandTabs(line), " \r")
		if line == "" {
			out = append(out, "")
			continue
		}
		for _, piece := range strings.Split(ansi.Wrap(line, w, ""), "\n") {
			if ansi.StringWidth(piece) > w {
				// ansi.Wrap can leave a long word one cell too wide after a
				// leading space: cut it hard so the screen never wraps.
				out = append(out, strings.Split(ansi.Hardwrap(piece, w, true), "\n")...)
				continue
			}
			out = append(out, piece)
		}
	}
	return out
}

// expandTabs turns tabs into spaces so widths stay true.
func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	return strings.ReplaceAll(s, "\t", "    ")
}

// clockOf writes a time of day in the local zone, as the operator's wall
// clock shows it.
func clockOf(t time.Time, layout string) string {
	return t.Local().Format(layout)
}
