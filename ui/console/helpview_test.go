package console

import (
	"strings"
	"testing"
)

// TestFullHelp: `?` lists every key with its help text, whether it works now
// or not; those that do nothing now are marked, with the reason when there
// is room; the short footer keeps only what works now.
func TestFullHelp(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		m := newModel(t, stopped(), size[0], size[1])
		footer := lastLine(m.View())
		m, _ = press(t, m, "?")
		v := m.View()
		checkSize(t, v, size[0], size[1])
		for _, g := range m.keys.Groups() {
			for _, b := range g.Bindings {
				h := b.Help()
				entry := entryOf(v, h.Key)
				if !strings.HasPrefix(entry, h.Desc) {
					t.Errorf("%d×%d: %s %s not listed:\n%s", size[0], size[1], h.Key, h.Desc, v)
					continue
				}
				if strings.Contains(entry, notNow) == b.Enabled() {
					t.Errorf("%d×%d: %s enabled %v, entry %q", size[0], size[1], h.Key, b.Enabled(), entry)
				}
			}
		}
		cutShort := strings.Contains(footer, "…") // then some enabled keys are left out
		for _, b := range m.keys.ShortHelp() {
			h := b.Help()
			shown := strings.Contains(footer, h.Key+" "+h.Desc)
			if shown && !b.Enabled() || !shown && b.Enabled() && !cutShort {
				t.Errorf("footer %q and %s (enabled %v) disagree", footer, h.Key, b.Enabled())
			}
		}
		if size[0] == 120 && !strings.Contains(v, "x      skip · not now: a critical item cannot be skipped") {
			t.Errorf("120×40 gives no reason:\n%s", v)
		}
	}
}

// entryOf is what the help screen says after a key's name: its help text,
// and the mark and reason if any, up to the next column.
func entryOf(v, keyName string) string {
	for _, l := range strings.Split(v, "\n") {
		i := strings.Index(l, "  "+keyName+" ")
		if i < 0 {
			continue
		}
		rest := strings.TrimLeft(l[i+2+len(keyName):], " ")
		if end := strings.Index(rest, "  "); end >= 0 {
			rest = rest[:end]
		}
		return rest
	}
	return ""
}
