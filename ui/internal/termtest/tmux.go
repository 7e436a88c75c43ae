package termtest

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Server is a private tmux server for one test, on a socket of its own: it
// never touches the user's tmux, and cleanup kills this server only.
type Server struct {
	t      testing.TB
	socket string
	path   string // the socket's file, removed with the server
	mu     sync.Mutex
	panes  []*Pane
}

// Pane is one tmux pane: a shell with PS1="$ ", TERM=xterm-256color and
// NO_COLOR=1, started in the test's folder.
type Pane struct {
	s      *Server
	target string // tmux target, e.g. "t:0.1"
	ready  bool   // its shell has shown its first prompt
}

var serverSeq atomic.Int64

// shell is the command every pane runs: a plain prompt, no colour.
var shell = []string{"env", "PS1=$ ", "TERM=xterm-256color", "NO_COLOR=1", "sh"}

// Tmux starts a private tmux server whose one window is cols×rows whatever
// the client (there is none), its shell in dir, and returns its pane.
// Without tmux the test is skipped, unless CI=true, where it fails.
func Tmux(t testing.TB, dir string, cols, rows int) *Pane {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is not installed (CI=true: .ci/run installs it)")
		}
		t.Skip("tmux is not installed")
	}
	s := &Server{t: t, socket: fmt.Sprintf("runway-test-%d-%d", os.Getpid(), serverSeq.Add(1))}
	size := []string{"-x", fmt.Sprint(cols), "-y", fmt.Sprint(rows)}
	s.Run(append(append([]string{"-f", "/dev/null", "new-session", "-d", "-s", "t", "-c", dir}, size...), shell...)...)
	t.Cleanup(s.close)
	s.path = strings.TrimSpace(s.Run("display-message", "-p", "#{socket_path}"))
	s.Run("set-option", "-t", "t", "window-size", "manual")
	s.Run(append([]string{"resize-window", "-t", "t:0"}, size...)...)
	return s.add("t:0.0")
}

func (s *Server) add(target string) *Pane {
	p := &Pane{s: s, target: target}
	s.mu.Lock()
	s.panes = append(s.panes, p)
	s.mu.Unlock()
	return p
}

// close shows every pane's last screen when the test failed, then kills
// this server (and only this one) and removes its socket file.
func (s *Server) close() {
	if s.t.Failed() {
		s.mu.Lock()
		for _, p := range s.panes {
			s.t.Logf("pane %s, last screen:\n%s", p.target, p.Screen())
		}
		s.mu.Unlock()
	}
	exec.Command("tmux", "-L", s.socket, "kill-server").Run()
	if s.path != "" {
		os.Remove(s.path) // tmux leaves it behind
	}
}

// Run runs one tmux command on this server, failing the test on error.
func (s *Server) Run(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Server is the tmux server the pane belongs to.
func (p *Pane) Server() *Server { return p.s }

// Target is the pane's tmux target, for commands Run takes.
func (p *Pane) Target() string { return p.target }

// SplitBelow splits the pane, giving the new pane below it rows lines, and
// returns the new pane; its shell starts in dir.
func (p *Pane) SplitBelow(dir string, rows int) *Pane {
	p.s.t.Helper()
	id := p.s.Run(append([]string{"split-window", "-v", "-l", fmt.Sprint(rows), "-t", p.target, "-c", dir, "-P", "-F", "#{pane_id}"}, shell...)...)
	return p.s.add(strings.TrimSpace(id))
}

// Shell types a command line into the pane's shell and presses Enter.
// The first line waits for the shell's first prompt: typed earlier, the
// terminal echoes it before the shell starts, and the command's output then
// lands after the prompt, on the line a test reads.
func (p *Pane) Shell(line string) {
	p.s.t.Helper()
	if !p.ready {
		p.WaitFor(`(?m)^\$ *$`, 30*time.Second)
		p.ready = true
	}
	p.Text(line)
	p.Keys("Enter")
}

// Keys sends key names (Enter, Escape, Down, C-c…) or single characters.
func (p *Pane) Keys(keys ...string) {
	p.s.t.Helper()
	p.s.Run(append([]string{"send-keys", "-t", p.target}, keys...)...)
}

// Text types literal text, with no key-name interpretation.
func (p *Pane) Text(s string) {
	p.s.t.Helper()
	p.s.Run("send-keys", "-t", p.target, "-l", s)
}

// Paste pastes text as a terminal paste (bracketed when the program asked
// for it), as a user pasting from the clipboard would.
func (p *Pane) Paste(text string) {
	p.s.t.Helper()
	p.s.Run("set-buffer", "-b", "paste", text)
	p.s.Run("paste-buffer", "-p", "-b", "paste", "-t", p.target)
}

// Screen is the pane's visible text now.
func (p *Pane) Screen() string {
	out, err := exec.Command("tmux", "-L", p.s.socket, "capture-pane", "-p", "-t", p.target).CombinedOutput()
	if err != nil {
		return fmt.Sprintf("(capture-pane: %v: %s)", err, out)
	}
	return string(out)
}

// T is the test the pane belongs to, for helpers that take only the pane.
func (p *Pane) T() testing.TB { return p.s.t }

// Format expands a tmux format for the pane, e.g. "#{pane_title}".
func (p *Pane) Format(f string) string {
	p.s.t.Helper()
	return strings.TrimSpace(p.s.Run("display-message", "-p", "-t", p.target, f))
}
