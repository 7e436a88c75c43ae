package replay

import (
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"runway/runbook/audit"
)

// screen checks the frame's shape at w×h and returns its lines.
func screen(t *testing.T, p *program, w, h int) []string {
	t.Helper()
	lines := strings.Split(p.m.View(), "\n")
	if len(lines) != h {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), h, strings.Join(lines, "\n"))
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Fatalf("line %d is %d wide: %q", i+1, n, l)
		}
	}
	return lines
}

func TestViewFollowsTheCursor(t *testing.T) {
	tl := timeline(t, 400)
	p := run(t, newModel(t, tl, 80, 24))
	lines := screen(t, p, 80, 24)
	if !strings.Contains(lines[0], "(replay)") || strings.Contains(lines[0], "watching") {
		t.Errorf("header: %q", lines[0])
	}
	// The runbook plans time: the header's third line is the forecast as it
	// stood at the cursor (nothing started at 09:00, three phases of 1h).
	if want := "phase Preparation ends ~10:00 (on plan) · all ends ~12:00 (on plan)"; lines[2] != want {
		t.Errorf("forecast line:\n got %q\nwant %q", lines[2], want)
	}
	if want := "── ✓ hash chain intact: 400 events ──"; !strings.HasPrefix(lines[3], want) {
		t.Errorf("chain line: %q, want it to start %q", lines[3], want)
	}
	if want := "‖ 1× · 1/400 · 09:00:00 +0:00:00 · session opened"; lines[22] != want {
		t.Errorf("timeline:\n got %q\nwant %q", lines[22], want)
	}
	if f := lines[23]; !strings.HasPrefix(f, "space play · → step") || !strings.HasSuffix(f, "? help · q quit") {
		t.Errorf("footer: %q", f)
	}

	// At the first failure the stop rule holds: the console's banner says so.
	p.press("]")
	lines = screen(t, p, 80, 24)
	view := strings.Join(lines, "\n")
	if !strings.Contains(lines[22], "✗ prep/target-up FAILED") {
		t.Errorf("timeline at the first failure: %q", lines[22])
	}
	p.press("right", "right", "right")
	view = strings.Join(screen(t, p, 80, 24), "\n")
	if !strings.Contains(view, "STOPPED") {
		t.Errorf("no stop banner after the failure:\n%s", view)
	}
	// Back to the start, the banner is gone again: seeking back shows the past.
	p.press("g")
	view = strings.Join(screen(t, p, 80, 24), "\n")
	if strings.Contains(view, "STOPPED") {
		t.Errorf("the stop banner is shown before the failure:\n%s", view)
	}
	// An idle gap is named where the cursor crosses it.
	p.press("]", "]")
	if lines = screen(t, p, 80, 24); !strings.Contains(lines[22], "note (after 4m00s idle)") {
		t.Errorf("timeline after an idle gap: %q", lines[22])
	}
	// At the pilot's failure the forecast is the one of that moment: prep
	// passed, the pilot started at 09:10 for its hour, the cut-over after it.
	p.press("]")
	lines = screen(t, p, 80, 24)
	if want := "phase Pilot ends ~10:10 (on plan) · all ends ~11:10 (plan 12:00, -50m)"; !strings.Contains(lines[22], "pilot/compare FAILED") || lines[2] != want {
		t.Errorf("at %q the forecast line is\n %q, want\n %q", lines[22], lines[2], want)
	}
}

func TestChainResultStaysOnScreen(t *testing.T) {
	tl := timeline(t, 300)
	for _, c := range []struct {
		opts Options
		want string
	}{
		{Options{Chain: audit.Report{OK: false, FirstBad: 42, Reason: "event 42: hash does not match its contents"}},
			"── ✗ TAMPERED: event 42: hash does not match its contents ──"},
		{Options{ChainErr: errors.New("read audit log /x.db: disk I/O error")},
			"── ✗ hash chain not checked: read audit log /x.db: disk I/O error ──"},
	} {
		c.opts.Renderer = asciiRenderer()
		m := step(New(tl, c.opts), sizeMsg(80, 24))
		p := run(t, m)
		for _, keys := range [][]string{nil, {"?"}, {"v"}, {"G"}, {"t"}} {
			p.press(keys...)
			lines := screen(t, p, 80, 24)
			if !strings.HasPrefix(lines[3], c.want) {
				t.Fatalf("after %v the chain line is %q, want %q", keys, lines[3], c.want)
			}
			p.press("esc")
		}
	}
}

func TestRunbookTextAndHelp(t *testing.T) {
	tl := timeline(t, 300)
	p := run(t, newModel(t, tl, 80, 24))
	p.press("v")
	view := strings.Join(screen(t, p, 80, 24), "\n")
	for _, want := range []string{"RUNBOOK as stored with the session · sha256 0123456789ab", " 3 name: orders-split", "v/esc back to the session"} {
		if !strings.Contains(view, want) {
			t.Errorf("runbook text: no %q in\n%s", want, view)
		}
	}
	p.press("G")
	if view = strings.Join(screen(t, p, 80, 24), "\n"); !strings.Contains(view, "run: \"true\"}}") {
		t.Errorf("G in the text does not reach its end:\n%s", view)
	}
	p.press("v", "?")
	view = strings.Join(screen(t, p, 80, 24), "\n")
	for _, want := range []string{"space", "faster", "next mark", "seek 0-90%", "v", "runbook", "h/l"} {
		if !strings.Contains(view, want) {
			t.Errorf("help: no %q in\n%s", want, view)
		}
	}
}

func TestTooSmall(t *testing.T) {
	tl := timeline(t, 300)
	p := run(t, newModel(t, tl, 79, 24))
	// The console's compact view: the state, with no room for the replay's frame.
	if v := p.m.View(); !strings.Contains(v, "state: ▶ running (replay)") || strings.Contains(v, "PHASES") {
		t.Fatalf("below 80×24:\n%s", v)
	}
	c := p.m.Cursor()
	p.press("G")
	if p.m.Cursor() != c {
		t.Fatal("keys act on a screen too small to show them")
	}
}

// TestFooterPairs: keys that work both ways share one entry, what does not
// fit at 80 columns is left for the help screen, and help and quit stay.
func TestFooterPairs(t *testing.T) {
	tl := timeline(t, 400)
	p := run(t, newModel(t, tl, 80, 24))
	p.press("5", "+")
	lines := screen(t, p, 80, 24)
	if want := "space play · ←/→ step · [/] mark · +/- speed · t seek · ? help · q quit"; lines[23] != want {
		t.Errorf("footer at 80:\n got %q\nwant %q", lines[23], want)
	}
	p.send(sizeMsg(130, 30))
	p.press("m")
	lines = screen(t, p, 130, 30)
	if want := "space play · ←/→ step · [/] failure · +/- speed · t seek · v runbook · m marks: failures · g/G start/end · ? help · q quit"; lines[29] != want {
		t.Errorf("footer at 130:\n got %q\nwant %q", lines[29], want)
	}
	p.press("t")
	if lines = screen(t, p, 130, 30); lines[29] != "enter seek · esc cancel" || !strings.HasPrefix(lines[28], "seek to (50%, 1234, 14:03, +1h30m): █") {
		t.Errorf("seek prompt: %q / %q", lines[28], lines[29])
	}
}
