package replay

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// atFold fails the test unless the model shows the fold of its prefix.
func atFold(t *testing.T, m Model, what string) {
	t.Helper()
	if want := foldOf(m.tl, m.Cursor()); !reflect.DeepEqual(m.State(), want) {
		t.Fatalf("%s: the state at cursor %d is not the fold of the first %d events", what, m.Cursor(), m.Cursor())
	}
}

func TestStepSeekAndEnds(t *testing.T) {
	tl := timeline(t, 3000)
	n := tl.Len()
	m := newModel(t, tl, 80, 24)
	if m.Cursor() != 1 || m.Playing() || m.Speed() != 1 {
		t.Fatalf("opens at %d playing=%v %d×, want at 1, paused, 1×", m.Cursor(), m.Playing(), m.Speed())
	}
	m = press(m, "right", "right", ".")
	if m.Cursor() != 4 {
		t.Fatalf("three steps: cursor %d", m.Cursor())
	}
	atFold(t, m, "after steps")
	m = press(m, "left", ",")
	if m.Cursor() != 2 {
		t.Fatalf("two steps back: cursor %d", m.Cursor())
	}
	atFold(t, m, "after steps back")
	m = press(m, "left", "left", "left")
	if m.Cursor() != 1 {
		t.Fatalf("back past the start: cursor %d, want 1 (the session opened)", m.Cursor())
	}
	m = press(m, "G")
	if m.Cursor() != n {
		t.Fatalf("G: cursor %d, want %d", m.Cursor(), n)
	}
	atFold(t, m, "at the end")
	m = press(m, "right")
	if m.Cursor() != n {
		t.Fatalf("step past the end: cursor %d", m.Cursor())
	}
	m = press(m, "5")
	if m.Cursor() != percent(n, 50) {
		t.Fatalf("5: cursor %d, want %d", m.Cursor(), percent(n, 50))
	}
	atFold(t, m, "at 50%")
	m = press(m, "g")
	if m.Cursor() != 1 {
		t.Fatalf("g: cursor %d", m.Cursor())
	}
	for _, c := range []struct {
		in   string
		want int
	}{
		{"25%", percent(n, 25)},
		{"#1234", 1234},
		{"77", 77},
		{"+6m", tl.Find(t0.Add(6 * time.Minute))},
		{"09:04", tl.Find(t0.Add(4 * time.Minute))},
	} {
		m = press(m, "t", c.in, "enter")
		if m.Cursor() != c.want {
			t.Fatalf("seek %q: cursor %d, want %d", c.in, m.Cursor(), c.want)
		}
		atFold(t, m, "seek "+c.in)
	}
	before := m.Cursor()
	m = press(m, "t", "soon", "enter")
	if m.Cursor() != before || !strings.Contains(m.note, `cannot read "soon"`) {
		t.Fatalf("a bad seek moved to %d, note %q", m.Cursor(), m.note)
	}
	m = press(m, "t", "12", "backspace", "esc")
	if m.Cursor() != before || m.input != nil {
		t.Fatal("esc did not cancel the seek")
	}
}

func TestJumpsToMarks(t *testing.T) {
	tl := timeline(t, 400)
	marks := tl.Marks()
	m := newModel(t, tl, 80, 24)
	for i, mk := range marks {
		m = press(m, "]")
		if m.Cursor() != mk.Index+1 {
			t.Fatalf("] #%d: cursor %d, want the %s at %d", i+1, m.Cursor(), mk.Kind, mk.Index+1)
		}
	}
	atFold(t, m, "at the last mark")
	m = press(m, "]")
	if m.Cursor() != marks[len(marks)-1].Index+1 || !strings.Contains(m.note, "no mark later") {
		t.Fatalf("] after the last mark: cursor %d, note %q", m.Cursor(), m.note)
	}
	m = press(m, "[", "shift+left")
	if m.Cursor() != marks[len(marks)-3].Index+1 {
		t.Fatalf("[ twice: cursor %d", m.Cursor())
	}
	// m narrows the jumps: failures, then overrides.
	m = press(m, "g", "m")
	if m.filter != MarkFailure {
		t.Fatalf("m: filter %s", m.filter)
	}
	var failures []int
	for _, mk := range marks {
		if mk.Kind == MarkFailure {
			failures = append(failures, mk.Index+1)
		}
	}
	for _, want := range failures {
		if m = press(m, "shift+right"); m.Cursor() != want {
			t.Fatalf("next failure: cursor %d, want %d", m.Cursor(), want)
		}
	}
	m = press(m, "m")
	m = press(m, "[")
	if k, _ := tl.markAt(m.Cursor()); k != MarkOverride {
		t.Fatalf("prev override landed on %v", k)
	}
	atFold(t, m, "at an override")
}

func TestPlayAndSpeed(t *testing.T) {
	tl := timeline(t, 3000)
	m := newModel(t, tl, 80, 24)
	m = press(m, "-")
	if m.Speed() != 1 {
		t.Fatalf("slower than 1×: %d×", m.Speed())
	}
	m = press(m, "+", "+", "=", "+", "+", "+", "+", "+")
	if m.Speed() != 64 {
		t.Fatalf("faster up to 64×: %d×", m.Speed())
	}
	m = press(m, "-", "-", "-", "-", "-", "-")
	if m.Speed() != 1 {
		t.Fatalf("slower to 1×: %d×", m.Speed())
	}
	m = press(m, "g", "space")
	if !m.Playing() {
		t.Fatal("space did not play")
	}
	gen := m.gen
	at := time.Now()
	m = step(m, frameMsg{gen: gen, at: at}) // the first frame only sets the clock
	start := m.Cursor()
	// One second of frames at 1× plays one second of the session.
	for i := 1; i <= 20; i++ {
		m = step(m, frameMsg{gen: gen, at: at.Add(time.Duration(i) * 50 * time.Millisecond)})
	}
	want := tl.At(tl.PlayTime(start) + time.Second)
	if m.Cursor() != want {
		t.Fatalf("one second at 1×: cursor %d, want %d", m.Cursor(), want)
	}
	atFold(t, m, "after playing at 1×")
	// A frame of an earlier play is dropped.
	if c := step(m, frameMsg{gen: gen - 1, at: at.Add(time.Hour)}).Cursor(); c != m.Cursor() {
		t.Fatalf("a stale frame moved the cursor to %d", c)
	}
	// At 64× the same second goes 64 times as far; a stalled frame counts
	// for no more than maxFrameGap.
	m = press(m, "+", "+", "+", "+", "+", "+")
	from := m.pos
	m = step(m, frameMsg{gen: gen, at: at.Add(2 * time.Second)})
	if m.pos-from != 64*maxFrameGap {
		t.Fatalf("a stalled frame advanced %s, want %s", m.pos-from, 64*maxFrameGap)
	}
	atFold(t, m, "after playing at 64×")
	m = press(m, "space")
	if m.Playing() {
		t.Fatal("space did not pause")
	}
	if c := step(m, frameMsg{gen: m.gen, at: at.Add(3 * time.Second)}).Cursor(); c != m.Cursor() {
		t.Fatal("a frame moved a paused replay")
	}
	// Played to the end, it stops there; play again starts over.
	m = press(m, "space")
	for i := 0; m.Playing() && i < 100000; i++ {
		m = step(m, frameMsg{gen: m.gen, at: at.Add(3*time.Second + time.Duration(i)*maxFrameGap)})
	}
	if m.Playing() || m.Cursor() != tl.Len() {
		t.Fatalf("playing to the end: cursor %d of %d, playing=%v", m.Cursor(), tl.Len(), m.Playing())
	}
	atFold(t, m, "played to the end")
	m = press(m, "space")
	if !m.Playing() || m.Cursor() != 1 {
		t.Fatalf("play at the end: cursor %d playing=%v, want 1 and playing", m.Cursor(), m.Playing())
	}
}

// TestMutatingKeysDoNothing: the console's action keys move nothing and say so.
func TestMutatingKeysDoNothing(t *testing.T) {
	tl := timeline(t, 300)
	m := press(newModel(t, tl, 80, 24), "5")
	c := m.Cursor()
	for _, k := range []string{"enter", "R", "s", "x", "r", "o", "a", "b", "p", "n"} {
		m = press(m, k)
		if m.Cursor() != c || !strings.Contains(m.note, "a replay only plays the log back") {
			t.Fatalf("%s: cursor %d (was %d), note %q", k, m.Cursor(), c, m.note)
		}
	}
}

// TestSeveralKeysInOneRead: "g++5" typed fast arrives as one message.
func TestSeveralKeysInOneRead(t *testing.T) {
	tl := timeline(t, 300)
	m := press(newModel(t, tl, 80, 24), "G", "g++5")
	if m.Speed() != 4 || m.Cursor() != percent(tl.Len(), 50) {
		t.Fatalf("g++5: %d× at %d", m.Speed(), m.Cursor())
	}
}
