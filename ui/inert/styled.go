package inert

import "strings"

// Styled returns a screen that runway rendered itself, with line breaks and
// SGR sequences (ESC [ params m: colour and weight, what its styles emit)
// kept and everything else made inert as Text does. It is the last guard of
// a full-screen view: text from outside should already have been made inert
// where it was placed, so that widths stay true; Styled makes sure that
// whatever was missed still cannot drive the terminal.
func Styled(s string) string {
	if clean(s, true) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for len(s) > 0 {
		i := strings.IndexByte(s, 0x1b)
		if i < 0 {
			write(&b, s, true)
			break
		}
		write(&b, s[:i], true)
		s = s[i:]
		if n := sgrLen(s); n > 0 {
			b.WriteString(s[:n])
			s = s[n:]
			continue
		}
		hexByte(&b, 0x1b)
		s = s[1:]
	}
	return b.String()
}

// sgrLen is the length of the SGR sequence at the start of s, or 0.
func sgrLen(s string) int {
	if len(s) < 3 || s[0] != 0x1b || s[1] != '[' {
		return 0
	}
	for i := 2; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c == ';', c == ':':
		case c == 'm':
			return i + 1
		default:
			return 0
		}
	}
	return 0
}
