package inert

import (
	"strings"
	"testing"
)

// hostile are payloads a command, a database value or a peer could send.
var hostile = []string{
	"\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\a", // OSC 52: write the clipboard
	"\x1b]0;pwned\a",               // OSC 0: set the title
	"\x1b]0;pwned\x1b\\",           // OSC 0 ended by ST
	"\x1b[2J\x1b[H",                // CSI: clear the screen, home
	"\x1bc",                        // RIS: reset the terminal
	"\x1bP+q544e\x1b\\",            // DCS: request termcap
	"\x1b_hidden\x1b\\",            // APC
	"\x9b2J",                       // 8-bit CSI, raw byte
	"\u009b2J",                     // 8-bit CSI, as a rune
	"\u202eevil\u202c",             // bidi override
	"\nphase p / item name passed", // a forged line
	"\x1bE12:00:00 p/name  passed", // ESC E: next line
	"\rp/name passed",
	"\x7f\x00\x08",
}

func TestLineShowsEscapesVisibly(t *testing.T) {
	cases := map[string]string{
		"plain text":         "plain text",
		"\x1b[31mred\x1b[0m": `\x1b[31mred\x1b[0m`,
		"bell\a":             `bell\x07`,
		"a\nb\r\tc":          `a\nb\r\tc`,
		"\u202efdp.exe":      `\u202efdp.exe`,
		"\xff\xfe":           `\xff\xfe`,
		"\u009b2J":           `\u009b2J`,
		"héllo wörld ✓ 日本":   "héllo wörld ✓ 日本",
		"\u2028x":            `\u2028x`,
	}
	for in, want := range cases {
		if got := Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTextKeepsLineBreaks(t *testing.T) {
	cases := map[string]string{
		"a\nb":             "a\nb",
		"a\r\nb":           "a\nb",
		"50%\r100%":        `50%\r100%`,
		"a\tb":             "a       b",
		"abc\td\n\te":      "abc     d\n        e",
		"\x1b]0;pwned\a\n": `\x1b]0;pwned\x07` + "\n",
	}
	for in, want := range cases {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStyledKeepsSGROnly(t *testing.T) {
	in := "\x1b[1;38;5;2mok\x1b[0m\n\x1b]0;pwned\a\x1b[2J\x1b[m"
	want := "\x1b[1;38;5;2mok\x1b[0m\n" + `\x1b]0;pwned\x07\x1b[2J` + "\x1b[m"
	if got := Styled(in); got != want {
		t.Errorf("Styled = %q, want %q", got, want)
	}
}

func TestHostilePayloadsBecomeInert(t *testing.T) {
	for _, p := range hostile {
		checkInert(t, p, Line(p), false)
		checkInert(t, p, Text(p), true)
		checkInert(t, p, Styled(p), true)
	}
}

// checkInert fails unless out has no control character (but newlines when
// multi), no DEL, no C1, no bidi control, and is valid UTF-8; Styled's
// SGR sequences are allowed.
func checkInert(t *testing.T, in, out string, multi bool) {
	t.Helper()
	if msg := Problem(out, multi); msg != "" {
		t.Fatalf("input %q gave %q: %s", in, out, msg)
	}
}

func FuzzInertLine(f *testing.F) {
	for _, p := range hostile {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Line(s)
		if msg := Problem(out, false); msg != "" || strings.ContainsRune(out, 0x1b) {
			t.Fatalf("Line(%q) = %q: %s", s, out, msg)
		}
		if clean(s, false) && out != s {
			t.Fatalf("Line changed printable text %q to %q", s, out)
		}
	})
}

func FuzzInertText(f *testing.F) {
	for _, p := range hostile {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		if msg := Problem(out, true); msg != "" || strings.ContainsRune(out, 0x1b) {
			t.Fatalf("Text(%q) = %q: %s", s, out, msg)
		}
		if strings.Count(out, "\n") != strings.Count(s, "\n") {
			t.Fatalf("Text(%q) = %q: line count changed", s, out)
		}
	})
}

func FuzzInertStyled(f *testing.F) {
	for _, p := range hostile {
		f.Add(p)
	}
	f.Add("\x1b[1;31mred\x1b[0m")
	f.Fuzz(func(t *testing.T, s string) {
		if msg := Problem(Styled(s), true); msg != "" {
			t.Fatalf("Styled(%q) = %q: %s", s, Styled(s), msg)
		}
	})
}
