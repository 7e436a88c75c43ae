package serve

import (
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// vt is the little of a terminal these tests need: it applies what a
// program writes (text, cursor moves, erasures) to a grid, so that a test
// reads the screen a participant sees now, as tmux capture-pane would.
type vt struct {
	mu      sync.Mutex
	w, h    int
	grid    [][]rune
	x, y    int
	pending []byte // an incomplete sequence or rune from the last write
	written int
}

func newVT(w, h int) *vt {
	v := &vt{w: w, h: h}
	v.clear(0, h)
	return v
}

func (v *vt) clear(from, to int) {
	if v.grid == nil {
		v.grid = make([][]rune, v.h)
	}
	for y := from; y < to && y < v.h; y++ {
		v.grid[y] = []rune(strings.Repeat(" ", v.w))
	}
}

// Write applies output to the screen.
func (v *vt) Write(p []byte) (int, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.written += len(p)
	b := append(v.pending, p...)
	v.pending = nil
	for i := 0; i < len(b); {
		n := v.step(b[i:])
		if n == 0 { // incomplete: wait for the rest
			v.pending = append([]byte(nil), b[i:]...)
			break
		}
		i += n
	}
	return len(p), nil
}

// step applies one rune or sequence and says how many bytes it took, 0
// when b holds only the start of one.
func (v *vt) step(b []byte) int {
	switch c := b[0]; {
	case c == '\r':
		v.x = 0
		return 1
	case c == '\n':
		v.down()
		return 1
	case c == '\b':
		v.x = max(v.x-1, 0)
		return 1
	case c == 0x1b:
		return v.escape(b)
	case c < 0x20 || c == 0x7f:
		return 1
	}
	if !utf8.FullRune(b) {
		return 0
	}
	r, n := utf8.DecodeRune(b)
	if v.x < v.w && v.y < v.h {
		v.grid[v.y][v.x] = r
	}
	v.x++
	return n
}

func (v *vt) down() {
	if v.y < v.h-1 {
		v.y++
		return
	}
	copy(v.grid, v.grid[1:])
	v.grid[v.h-1] = []rune(strings.Repeat(" ", v.w))
}

func (v *vt) escape(b []byte) int {
	if len(b) < 2 {
		return 0
	}
	switch b[1] {
	case '[':
		for i := 2; i < len(b); i++ {
			if b[i] >= 0x40 && b[i] <= 0x7e {
				v.csi(string(b[2:i]), b[i])
				return i + 1
			}
		}
		return 0
	case ']', 'P', '_': // OSC, DCS, APC: up to BEL or ST
		for i := 2; i < len(b); i++ {
			if b[i] == 0x07 {
				return i + 1
			}
			if b[i] == 0x1b && i+1 < len(b) && b[i+1] == '\\' {
				return i + 2
			}
		}
		return 0
	}
	return 2
}

func (v *vt) csi(params string, cmd byte) {
	private := strings.HasPrefix(params, "?")
	var ns []int
	for _, f := range strings.Split(strings.TrimLeft(params, "?>"), ";") {
		n, _ := strconv.Atoi(f)
		ns = append(ns, n)
	}
	arg := func(i, def int) int {
		if i < len(ns) && ns[i] > 0 {
			return ns[i]
		}
		return def
	}
	switch cmd {
	case 'H', 'f':
		v.y, v.x = min(arg(0, 1)-1, v.h-1), min(arg(1, 1)-1, v.w-1)
	case 'A':
		v.y = max(v.y-arg(0, 1), 0)
	case 'B':
		v.y = min(v.y+arg(0, 1), v.h-1)
	case 'C':
		v.x = min(v.x+arg(0, 1), v.w-1)
	case 'D':
		v.x = max(v.x-arg(0, 1), 0)
	case 'E':
		v.y, v.x = min(v.y+arg(0, 1), v.h-1), 0
	case 'F':
		v.y, v.x = max(v.y-arg(0, 1), 0), 0
	case 'G':
		v.x = min(arg(0, 1)-1, v.w-1)
	case 'K':
		if v.y >= v.h {
			return
		}
		row := v.grid[v.y]
		from, to := v.x, v.w
		switch arg(0, 0) {
		case 1:
			from, to = 0, v.x+1
		case 2:
			from, to = 0, v.w
		}
		for x := max(from, 0); x < to && x < v.w; x++ {
			row[x] = ' '
		}
	case 'J':
		switch arg(0, 0) {
		case 0:
			v.csi("0", 'K')
			v.clear(v.y+1, v.h)
		case 1:
			v.clear(0, v.y)
		default:
			v.clear(0, v.h)
		}
	case 'h', 'l':
		if private && (params == "?1049" || params == "?47") {
			v.clear(0, v.h)
		}
	}
}

// text is the screen, one line per row, trailing blanks cut.
func (v *vt) text() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	lines := make([]string, v.h)
	for y, row := range v.grid {
		lines[y] = strings.TrimRight(string(row), " ")
	}
	return strings.Join(lines, "\n")
}

// bytes is how much was written so far.
func (v *vt) bytes() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.written
}
