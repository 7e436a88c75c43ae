package checks

import (
	"bytes"
	"fmt"
	"sync"
	"unicode/utf8"
)

// OutputLimit bounds Result.Output: the first and last halves are kept and
// the cut between them is marked.
const OutputLimit = 64 << 10

const (
	half = OutputLimit / 2
	// lineSearch is how far back from a raw cut a line break is looked for,
	// and edgeDrop what is dropped when there is none: a secret cut in half
	// would otherwise escape redaction as a fragment next to the marker.
	lineSearch = 4 << 10
	edgeDrop   = 1 << 10
	// clipSlack lets text that was already bounded (plus its marker) through.
	clipSlack = 1 << 10
)

// capture is an io.Writer that keeps the first and the last half of
// OutputLimit bytes written to it, and counts the rest.
type capture struct {
	mu    sync.Mutex
	head  []byte
	tail  []byte // grows to 2*half, then keeps the last half
	total int64
}

func (c *capture) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(p)
	c.total += int64(n)
	if room := half - len(c.head); room > 0 {
		take := min(room, len(p))
		c.head = append(c.head, p[:take]...)
		p = p[take:]
	}
	if len(p) > 0 {
		c.tail = append(c.tail, p...)
		if len(c.tail) > 2*half {
			c.tail = append(c.tail[:0], c.tail[len(c.tail)-half:]...)
		}
	}
	return n, nil
}

// raw is everything kept, unredacted and with no marker: for matching
// expectations against. When the output was cut, head and tail are joined by
// a line break so a pattern never matches across the gap.
func (c *capture) raw() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.total <= int64(len(c.head)+len(c.tail)) {
		return string(c.head) + string(c.tail)
	}
	return string(c.head) + "\n" + string(c.lastHalf())
}

// text is the output as shown: redacted, and when cut, head and tail trimmed
// back to line boundaries at the cut and joined by a marker.
func (c *capture) text(redact func(string) string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.total <= int64(len(c.head)+len(c.tail)) {
		return redact(string(c.head) + string(c.tail))
	}
	h, t := trimEnd(c.head), trimStart(c.lastHalf())
	cut := c.total - int64(len(h)) - int64(len(t))
	return joinCut(redact(string(h)), cut, redact(string(t)))
}

func (c *capture) lastHalf() []byte {
	if len(c.tail) > half {
		return c.tail[len(c.tail)-half:]
	}
	return c.tail
}

// clip bounds text that is already redacted.
func clip(s string) string {
	if len(s) <= OutputLimit+clipSlack {
		return s
	}
	h, t := validEnd([]byte(s[:half])), validStart([]byte(s[len(s)-half:]))
	return joinCut(string(h), int64(len(s)-len(h)-len(t)), string(t))
}

func joinCut(head string, cut int64, tail string) string {
	sep := "\n"
	if head == "" || head[len(head)-1] == '\n' {
		sep = ""
	}
	return fmt.Sprintf("%s%s[… %d bytes cut …]\n%s", head, sep, cut, tail)
}

// trimEnd drops the partial line at the end of a head that was cut.
func trimEnd(b []byte) []byte {
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 && len(b)-i <= lineSearch {
		return b[:i+1]
	}
	return validEnd(b[:max(0, len(b)-edgeDrop)])
}

// trimStart drops the partial line at the start of a tail that was cut.
func trimStart(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 && i < lineSearch {
		return b[i+1:]
	}
	return validStart(b[min(len(b), edgeDrop):])
}

// validEnd drops a rune cut in half at the end.
func validEnd(b []byte) []byte {
	for i := 0; i < utf8.UTFMax-1 && len(b) > 0; i++ {
		if r, size := utf8.DecodeLastRune(b); r != utf8.RuneError || size > 1 {
			break
		}
		b = b[:len(b)-1]
	}
	return b
}

// validStart drops the continuation bytes of a rune cut in half at the start.
func validStart(b []byte) []byte {
	for i := 0; i < utf8.UTFMax-1 && len(b) > 0 && !utf8.RuneStart(b[0]); i++ {
		b = b[1:]
	}
	return b
}
