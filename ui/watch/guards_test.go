package watch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

const guardedRunbook = `
version: 1
name: guarded
guards:
  - {id: level, title: Level, command: {run: "cat level"}, every: 1s, critical: "> 5"}
phases:
  - {id: prep, title: Preparation, items: [{id: backups, title: Backups, manual: {}}]}
`

// A watcher sees the guard strip and the guard's stop, and cannot
// acknowledge it.
func TestWatcherSeesGuards(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "level"), []byte("9\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := startDriver(t, dir, guardedRunbook)
	eventually(t, "the guard's stop", func() bool { return d.sess.State().Stop != nil })
	src, err := Open(context.Background(), d.path, d.sess.ID(), Options{Every: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	eventually(t, "the watcher folds the stop", func() bool { return src.State().Stop != nil })

	m := New(src, ModelOptions{Renderer: asciiRenderer(), AuditPath: d.path})
	defer m.Release()
	next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m = next.(Model)
	view := m.View()
	for _, want := range []string{"◉ guards · level 9 ✗ CRITICAL", "guard level critical: 9 (breached > 5)"} {
		if !strings.Contains(view, want) {
			t.Errorf("no %q on the watcher's screen:\n%s", want, view)
		}
	}
	for _, k := range []string{"o", "seen it", "enter", "tab", "enter"} {
		next, cmd := m.Update(key(k))
		m = next.(Model)
		if msg := runCmd(cmd); msg != nil {
			if _, quit := msg.(tea.QuitMsg); !quit {
				next, _ = m.Update(msg)
				m = next.(Model)
			}
		}
	}
	if st := d.sess.State(); st.Stop == nil || st.Guard("level").Acked {
		t.Error("a watcher's keys acknowledged the guard")
	}
}
