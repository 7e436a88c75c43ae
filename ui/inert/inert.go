// Package inert makes text that comes from outside runway (command output,
// database values, runbook text, SSH user names, error texts, network
// peers) safe to show on a terminal: every control character, escape
// sequence, bidirectional override and invalid byte is written as a visible
// escape ("\x1b[2J", "\x07", "\u202e", "\xff") instead of reaching the
// terminal, so it can neither drive the terminal (clear it, set its title,
// write the clipboard) nor forge what runway shows.
//
// It is applied where text is displayed, never where it is stored: the
// audit log keeps the exact bytes. The package imports no Charm package.
package inert

import (
	"strings"
	"unicode/utf8"

	"runway/runbook/text"
)

// tabStop is the column width a multi-line text expands its tabs to.
const tabStop = 8

// Line returns s as one inert line: besides the escapes every flavour
// makes, newlines, carriage returns and tabs are shown as \n, \r and \t,
// so s can never start a line of its own. Use it for log lines, plain-mode
// lines, titles and table cells.
func Line(s string) string {
	if clean(s, false) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	write(&b, s, false)
	return b.String()
}

// OneLine flattens s to one line (runway/runbook/text.OneLine: its lines
// joined, its spaces squeezed) and makes what is left inert, for an error
// or a place from outside runway shown in a row or a line.
func OneLine(s string) string { return Line(text.OneLine(s)) }

// Text returns s inert with its line breaks kept: a newline stays a
// newline (a CR before it is dropped), a lone CR is shown as \r, and tabs
// are expanded to spaces up to the next multiple of 8 columns (counted in
// runes). Use it for panes that show output as lines.
func Text(s string) string {
	if clean(s, true) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	write(&b, s, true)
	return b.String()
}

// clean reports whether s is printable ASCII (and newlines in multi-line
// mode), which needs no escaping at all.
func clean(s string, multi bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\n' && multi {
			continue
		}
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// write escapes s into b; multi keeps newlines and expands tabs.
func write(b *strings.Builder, s string, multi bool) {
	col := 0 // runes since the last newline, for tab stops
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			hexByte(b, s[i])
			col += 4
		case multi && r == '\n':
			b.WriteByte('\n')
			col = 0
		case multi && r == '\r' && i+1 < len(s) && s[i+1] == '\n':
			// CRLF is a line break; the CR is not shown.
		case multi && r == '\t':
			pad := tabStop - col%tabStop
			b.WriteString(strings.Repeat(" ", pad))
			col += pad
		case r == '\n':
			b.WriteString(`\n`)
			col += 2
		case r == '\r':
			b.WriteString(`\r`)
			col += 2
		case r == '\t':
			b.WriteString(`\t`)
			col += 2
		case r < 0x20 || r == 0x7f:
			hexByte(b, byte(r))
			col += 4
		case r >= 0x80 && r <= 0x9f, Hidden(r):
			hexRune(b, r)
			col += 6
		default:
			b.WriteString(s[i : i+n])
			col++
		}
		i += n
	}
}

// Hidden reports whether r changes how the text around it is ordered or
// broken into lines without being seen: the bidirectional embeddings,
// overrides, isolates and marks, and the Unicode line and paragraph
// separators.
func Hidden(r rune) bool {
	switch {
	case r >= 0x202a && r <= 0x202e, // LRE RLE PDF LRO RLO
		r >= 0x2066 && r <= 0x2069, // LRI RLI FSI PDI
		r == 0x200e, r == 0x200f,   // LRM RLM
		r == 0x061c,              // ALM
		r == 0x2028, r == 0x2029: // line and paragraph separators
		return true
	}
	return false
}

const hexDigits = "0123456789abcdef"

// hexByte writes c as \xNN.
func hexByte(b *strings.Builder, c byte) {
	b.WriteString(`\x`)
	b.WriteByte(hexDigits[c>>4])
	b.WriteByte(hexDigits[c&0xf])
}

// hexRune writes r as \uNNNN.
func hexRune(b *strings.Builder, r rune) {
	b.WriteString(`\u`)
	for shift := 12; shift >= 0; shift -= 4 {
		b.WriteByte(hexDigits[(r>>shift)&0xf])
	}
}
