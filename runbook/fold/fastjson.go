package fold

import (
	"strconv"

	"runway/runbook/event"
)

// A fast path for the payloads that make up most of a long log: engine
// progress and checkpoints, several a second for hours. encoding/json
// validates, then decodes through reflection, and allocates the target; a
// flat object of known keys needs none of that. Anything unexpected (an
// unknown key, an escape, a nested value, null, a malformed number) makes
// the fast path give up, and the caller decodes with encoding/json as usual,
// so both paths read every payload the same way.

// flatField is one field of a flat JSON object.
type flatField struct {
	key  []byte
	kind byte   // '"' string, '0' number, 't'/'f' bool, '[' array of strings
	val  []byte // string contents (no escapes), number text
	list []string
}

// flatScanner walks the fields of a flat JSON object, one per next call.
// err is set when the text is not one it can read exactly.
type flatScanner struct {
	b   []byte
	i   int
	f   flatField
	bad bool
	end bool
}

func newFlatScanner(b []byte) flatScanner {
	s := flatScanner{b: b}
	s.i = skipSpace(b, 0)
	if s.i >= len(b) || b[s.i] != '{' {
		s.bad = true
		return s
	}
	s.i = skipSpace(b, s.i+1)
	if s.i < len(b) && b[s.i] == '}' {
		s.end = true
		s.bad = skipSpace(b, s.i+1) != len(b)
	}
	return s
}

// ok reports whether the whole object was read.
func (s *flatScanner) ok() bool { return s.end && !s.bad }

// fail gives up on the object.
func (s *flatScanner) fail() { s.bad = true }

// next reads the next field into s.f; false at the end or on a problem.
func (s *flatScanner) next() bool {
	if s.bad || s.end {
		return false
	}
	b, i, f := s.b, s.i, &s.f
	var ok bool
	if f.key, i, ok = plainString(b, i); !ok {
		return s.stop()
	}
	if i = skipSpace(b, i); i >= len(b) || b[i] != ':' {
		return s.stop()
	}
	if i = skipSpace(b, i+1); i >= len(b) {
		return s.stop()
	}
	f.list = nil
	switch c := b[i]; {
	case c == '"':
		f.kind = '"'
		if f.val, i, ok = plainString(b, i); !ok {
			return s.stop()
		}
	case c == '-' || c >= '0' && c <= '9':
		j := i
		for j < len(b) && (b[j] >= '0' && b[j] <= '9' || b[j] == '-' || b[j] == '+' || b[j] == '.' || b[j] == 'e' || b[j] == 'E') {
			j++
		}
		f.kind, f.val, i = '0', b[i:j], j
	case c == 't' && hasPrefix(b[i:], "true"):
		f.kind, i = 't', i+4
	case c == 'f' && hasPrefix(b[i:], "false"):
		f.kind, i = 'f', i+5
	case c == '[':
		f.kind = '['
		f.list = []string{}
		i = skipSpace(b, i+1)
		if i < len(b) && b[i] == ']' {
			i++
			break
		}
		for {
			var str []byte
			if str, i, ok = plainString(b, i); !ok {
				return s.stop()
			}
			f.list = append(f.list, string(str))
			if i = skipSpace(b, i); i < len(b) && b[i] == ',' {
				i = skipSpace(b, i+1)
				continue
			}
			if i >= len(b) || b[i] != ']' {
				return s.stop()
			}
			i++
			break
		}
	default:
		return s.stop()
	}
	if i = skipSpace(b, i); i >= len(b) {
		return s.stop()
	}
	switch b[i] {
	case ',':
		s.i = skipSpace(b, i+1)
	case '}':
		s.end = true
		s.bad = skipSpace(b, i+1) != len(b)
	default:
		return s.stop()
	}
	return true
}

func (s *flatScanner) stop() bool {
	s.bad = true
	return false
}

// plainString reads a JSON string without escapes or control characters
// starting at b[i] == '"'; it returns the contents and the index after it.
func plainString(b []byte, i int) ([]byte, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, i, false
	}
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			return b[i+1 : j], j + 1, true
		case c == '\\' || c < 0x20 || c >= 0x80:
			return nil, j, false // escapes and non-ASCII: leave them to encoding/json
		}
	}
	return nil, len(b), false
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

func hasPrefix(b []byte, s string) bool { return len(b) >= len(s) && string(b[:len(s)]) == s }

// flatInt reads an integer field exactly as encoding/json would into an int64.
func flatInt(f *flatField) (int64, bool) {
	if f.kind != '0' {
		return 0, false
	}
	n, err := strconv.ParseInt(string(f.val), 10, 64)
	return n, err == nil && validNumber(f.val)
}

func flatFloat(f *flatField) (float64, bool) {
	if f.kind != '0' || !validNumber(f.val) {
		return 0, false
	}
	x, err := strconv.ParseFloat(string(f.val), 64)
	return x, err == nil
}

// validNumber checks JSON's number grammar, which is stricter than strconv's
// (no leading '+', no leading zeros, digits around the point).
func validNumber(s []byte) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	return i == len(s)
}

// fastProgress reads a ProgressPayload, or reports that it can't.
func fastProgress(b []byte) (p event.ProgressPayload, ok bool) {
	sc := newFlatScanner(b)
	for sc.next() {
		f := &sc.f
		switch string(f.key) {
		case "table":
			p.Table, ok = string(f.val), f.kind == '"'
		case "note":
			p.Note, ok = string(f.val), f.kind == '"'
		case "done":
			p.Done, ok = flatInt(f)
		case "total":
			p.Total, ok = flatInt(f)
		case "eta_ms":
			p.ETAms, ok = flatInt(f)
		case "rows_per_sec":
			p.RowsPerSec, ok = flatFloat(f)
		default:
			ok = false
		}
		if !ok {
			sc.fail()
		}
	}
	return p, sc.ok()
}

// fastCheckpoint reads a CheckpointPayload, or reports that it can't.
func fastCheckpoint(b []byte) (p event.CheckpointPayload, ok bool) {
	sc := newFlatScanner(b)
	for sc.next() {
		f := &sc.f
		switch string(f.key) {
		case "table":
			p.Table, ok = string(f.val), f.kind == '"'
		case "last_key":
			p.LastKey, ok = f.list, f.kind == '['
		case "rows":
			p.Rows, ok = flatInt(f)
		case "done":
			p.Done, ok = f.kind == 't', f.kind == 't' || f.kind == 'f'
		default:
			ok = false
		}
		if !ok {
			sc.fail()
		}
	}
	return p, sc.ok()
}

// fastStarted reads a StartedPayload, or reports that it can't.
func fastStarted(b []byte) (p event.StartedPayload, ok bool) {
	sc := newFlatScanner(b)
	for sc.next() {
		f := &sc.f
		switch string(f.key) {
		case "kind":
			p.Kind, ok = string(f.val), f.kind == '"'
		case "attempt":
			var n int64
			n, ok = flatInt(f)
			p.Attempt = int(n)
			ok = ok && int64(p.Attempt) == n
		case "rollback":
			p.Rollback, ok = f.kind == 't', f.kind == 't' || f.kind == 'f'
		default:
			ok = false
		}
		if !ok {
			sc.fail()
		}
	}
	return p, sc.ok()
}
