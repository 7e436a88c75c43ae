package inert

import (
	"strings"
	"unicode/utf8"
)

// Problem says what in s could still drive a terminal or forge a line, or
// "" when nothing does: a control character (but newlines when multi), DEL,
// a C1 control, a bidi control, invalid UTF-8, or an ESC that does not start
// an SGR sequence (runway's own styles). Tests of every display use it.
func Problem(s string, multi bool) string {
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	for i, r := range s {
		switch {
		case r == 0x1b:
			if sgrLen(s[i:]) == 0 {
				return "raw ESC"
			}
		case r == '\n' && multi:
		case r < 0x20 || r == 0x7f:
			return "control character"
		case r >= 0x80 && r <= 0x9f:
			return "C1 control"
		case Hidden(r):
			return "bidi or line separator"
		}
	}
	if !multi && strings.Contains(s, "\n") {
		return "newline"
	}
	return ""
}
