package termtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSourceKeyFollowsTheSourcesNotTheTests(t *testing.T) {
	root := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(root, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	key := func() string {
		t.Helper()
		k, err := sourceKey(root)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	write("go.mod", "module x\n")
	write("main.go", "package main\n")
	base := key()
	write("main_test.go", "package main\n")
	write("pkg/testdata/fixture.txt", "x")
	write(".ci/run", "x")
	if k := key(); k != base {
		t.Errorf("tests, test data or a hidden folder changed the key")
	}
	write("pkg/page.tmpl", "embedded")
	withEmbed := key()
	if withEmbed == base {
		t.Errorf("a new non-Go file (maybe embedded) kept the key")
	}
	write("main.go", "package main // edited\n")
	if key() == withEmbed {
		t.Errorf("an edited Go file kept the key")
	}
}

func TestClearWaitsForItsOwnMarker(t *testing.T) {
	dir := t.TempDir()
	top := Tmux(t, dir, 80, 49)
	bottom := top.SplitBelow(dir, 24)
	top.Shell("printf '%s\\n' earlier-output")
	top.WaitFor(`(?m)^earlier-output$`, 30*time.Second)
	// Clearing an already empty screen must still wait for the clear.
	bottom.Clear()
	bottom.Clear()
	top.Clear()
	if s := top.Screen(); strings.Contains(s, "earlier") {
		t.Fatalf("the cleared pane still shows earlier output:\n%s", s)
	}
	bottom.Shell("tput lines")
	bottom.WaitFor(`(?m)^24$`, 30*time.Second)
}

func TestBinaryIsBuiltOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the runway binary")
	}
	a, b := Binary(t), Binary(t)
	if a != b {
		t.Fatalf("two paths for one source tree: %s, %s", a, b)
	}
	if info, err := os.Stat(a); err != nil || info.Mode()&0o111 == 0 {
		t.Fatalf("binary %s: %v", a, err)
	}
}

func TestServerLeavesNothingBehind(t *testing.T) {
	var path string
	t.Run("test", func(t *testing.T) {
		p := Tmux(t, t.TempDir(), 80, 24)
		path = p.Server().path
		if _, err := os.Stat(path); err != nil {
			t.Fatalf("the server's socket %q: %v", path, err)
		}
	})
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("after the test its tmux socket %s is still there (%v)", path, err)
	}
}
