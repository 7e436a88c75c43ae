package runbook

import "fmt"

// Limits on a runbook's text, checked in one linear pass before the YAML
// parser sees it: the parser's time grows with the square of the nesting
// depth and of a block mapping's length (200 KB of "[" took a minute).
const (
	// MaxSize is the largest runbook file runway reads, in bytes.
	MaxSize  = 4 << 20
	maxDepth = 64    // nested lists and mappings, block and flow together
	maxKeys  = 1_000 // keys of one block mapping
)

// checkLimits returns the first limit the text breaks, or nil. It reads
// YAML roughly (quotes, comments and block scalars are skipped; a block
// sequence under a key at the same indent is not counted): a false alarm
// needs absurd input, and what it misses the parser can afford.
func checkLimits(file string, text []byte) *Problem {
	if len(text) > MaxSize {
		p := sizeProblem(file, int64(len(text)))
		return &p
	}
	s := &shapeScan{file: file, scalar: -1}
	line := 1
	for start := 0; start <= len(text) && s.found == nil; line++ {
		end := start
		for end < len(text) && text[end] != '\n' {
			end++
		}
		s.line(line, trimCR(text[start:end]))
		start = end + 1
	}
	return s.found
}

// sizeProblem says how large a runbook over MaxSize is, and the limit; a
// size not above the limit (a pipe's, which is unknown) says "more than".
func sizeProblem(file string, size int64) Problem {
	is := fmt.Sprintf("is %.1f MiB", float64(size)/(1<<20))
	if size <= MaxSize {
		is = fmt.Sprintf("is more than %d MiB", MaxSize>>20)
	}
	return Problem{File: file, Pos: Position{1, 1}, Msg: fmt.Sprintf(
		"runbook %s; runway reads at most %d MiB", is, MaxSize>>20)}
}

func trimCR(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\r' {
		return b[:n-1]
	}
	return b
}

// shapeScan follows the nesting of a YAML text line by line.
type shapeScan struct {
	file   string
	blocks []block // open block collections, outermost first
	flow   int     // open flow collections ("[" and "{")
	quote  byte    // the quote of a scalar that goes on past the line, or 0
	scalar int     // the indent a block scalar's lines are deeper than, or -1
	found  *Problem
	ln     int
}

// block is one open block collection: its indent and how many keys it has.
type block struct{ indent, keys int }

func (s *shapeScan) fail(col int, format string, args ...any) {
	if s.found == nil {
		s.found = &Problem{File: s.file, Pos: Position{s.ln, col + 1}, Msg: fmt.Sprintf(format, args...)}
	}
}

func (s *shapeScan) line(ln int, b []byte) {
	s.ln = ln
	indent := 0
	for indent < len(b) && b[indent] == ' ' {
		indent++
	}
	if s.scalar >= 0 {
		if indent == len(b) || indent > s.scalar {
			return // a line of a block scalar's text
		}
		s.scalar = -1
	}
	i := 0
	if s.quote != 0 {
		if i = s.skipQuote(b, 0, s.quote); i < 0 {
			return
		}
	}
	if s.flow > 0 {
		s.flowText(b, i)
		return
	}
	if i > 0 {
		s.blockText(b, i) // the rest of a line a quoted scalar ended on
		return
	}
	if indent == len(b) || b[indent] == '#' {
		return
	}
	if indent == 0 && (hasPrefix(b, "---") || hasPrefix(b, "...")) {
		s.blocks = s.blocks[:0] // a new document
		return
	}
	s.entry(b, indent)
}

// entry opens or continues the block collection a line's entry belongs to,
// then the collections it opens on the same line ("- - a", "- key: v").
func (s *shapeScan) entry(b []byte, indent int) {
	for len(s.blocks) > 0 && s.blocks[len(s.blocks)-1].indent > indent {
		s.blocks = s.blocks[:len(s.blocks)-1]
	}
	if n := len(s.blocks); n == 0 || s.blocks[n-1].indent < indent {
		s.open(indent)
	}
	i := indent
	for i < len(b) && (b[i] == '-' || b[i] == '?') && (i+1 == len(b) || b[i+1] == ' ') {
		i++
		for i < len(b) && b[i] == ' ' {
			i++
		}
		if i == len(b) || b[i] == '#' {
			return
		}
		s.open(i)
	}
	if top := &s.blocks[len(s.blocks)-1]; top.indent == i {
		if top.keys++; top.keys > maxKeys {
			s.fail(i, "a mapping has more than %d keys (runway reads at most %d)", maxKeys, maxKeys)
		}
	}
	s.blockText(b, i)
}

func (s *shapeScan) open(indent int) {
	s.blocks = append(s.blocks, block{indent: indent})
	s.depth(indent)
}

func (s *shapeScan) depth(col int) {
	if len(s.blocks)+s.flow > maxDepth {
		s.fail(col, "nested too deeply: more than %d levels of lists and mappings", maxDepth)
	}
}

// blockText reads a block line from i: a key and its value, where a value
// may open a flow collection, a quoted scalar or a block scalar.
func (s *shapeScan) blockText(b []byte, i int) {
	atValue, keyed := true, false
	for i < len(b) && s.found == nil {
		c := b[i]
		switch {
		case c == ' ':
			i++
			continue
		case c == '#':
			return
		case atValue && (c == '&' || c == '!'): // an anchor or a tag before the value
			for i < len(b) && b[i] != ' ' {
				i++
			}
			continue
		case atValue && (c == '[' || c == '{'):
			s.flowText(b, i)
			return
		case atValue && (c == '"' || c == '\''):
			if i = s.skipQuote(b, i+1, c); i < 0 {
				return
			}
		case atValue && (c == '|' || c == '>'):
			s.scalar = s.parentIndent(keyed)
			return
		}
		atValue = false
		for i < len(b) && !(b[i] == ':' && (i+1 == len(b) || b[i+1] == ' ')) {
			if b[i] == '#' && i > 0 && b[i-1] == ' ' {
				return
			}
			i++
		}
		i++ // past the ":" of a key
		atValue, keyed = true, true
	}
}

// parentIndent is the indent a block scalar's lines must go deeper than:
// the mapping's when the scalar is a key's value, else the collection's
// around the entry the scalar is ("- |").
func (s *shapeScan) parentIndent(keyed bool) int {
	switch n := len(s.blocks); {
	case n == 0:
		return 0
	case keyed || n == 1:
		return s.blocks[n-1].indent
	default:
		return s.blocks[n-2].indent
	}
}

// flowText reads flow collections from i, past the end of the line if
// they are still open.
func (s *shapeScan) flowText(b []byte, i int) {
	atStart := true
	for ; i < len(b) && s.found == nil; i++ {
		switch c := b[i]; c {
		case '[', '{':
			s.flow++
			s.depth(i)
			atStart = true
		case ']', '}':
			if s.flow > 0 {
				s.flow--
			}
			if s.flow == 0 {
				return
			}
		case ',', ':', '?', ' ', '\t':
			atStart = true
		case '#':
			if atStart {
				return
			}
		case '"', '\'':
			if atStart {
				if i = s.skipQuote(b, i+1, c); i < 0 {
					return
				}
				i--
			}
			atStart = false
		default:
			atStart = false
		}
	}
}

// skipQuote returns the index just past the closing quote q at or after i,
// or -1 when the scalar goes on past the line (s.quote remembers it).
func (s *shapeScan) skipQuote(b []byte, i int, q byte) int {
	for ; i < len(b); i++ {
		switch {
		case q == '"' && b[i] == '\\':
			i++
		case b[i] == q && q == '\'' && i+1 < len(b) && b[i+1] == '\'':
			i++
		case b[i] == q:
			s.quote = 0
			return i + 1
		}
	}
	s.quote = q
	return -1
}

func hasPrefix(b []byte, p string) bool {
	return len(b) >= len(p) && string(b[:len(p)]) == p
}
