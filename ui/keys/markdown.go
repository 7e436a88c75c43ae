package keys

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
)

// keyNames spells the keys that are not letters as a reader types them.
var keyNames = map[string]string{
	"up": "↑", "down": "↓", "left": "←", "right": "→", " ": "space", "pgdown": "pgdn",
}

// Markdown is the key map as a Markdown table, the README's list of keys:
// one row per binding, every key that triggers it, by the groups of the `?`
// screen, then the keys inside a dialog. The README holds exactly this
// table, so it cannot drift from the console.
func Markdown() string {
	var b strings.Builder
	b.WriteString("| | keys | what it does |\n|---|---|---|\n")
	for _, g := range Default().Groups() {
		rows(&b, g.Title, g.Bindings)
	}
	d := Dialog()
	rows(&b, "In a dialog", d.FullHelp()[0])
	return b.String()
}

// rows writes one table row per binding, the group's title on the first.
func rows(b *strings.Builder, title string, bindings []key.Binding) {
	for i, k := range bindings {
		cell := ""
		if i == 0 {
			cell = "**" + title + "**"
		}
		names := make([]string, 0, len(k.Keys()))
		for _, name := range k.Keys() {
			if n, ok := keyNames[name]; ok {
				name = n
			}
			names = append(names, "`"+strings.ReplaceAll(name, "|", `\|`)+"`")
		}
		b.WriteString("| " + cell + " | " + strings.Join(names, " ") + " | " + k.Help().Desc + " |\n")
	}
}
