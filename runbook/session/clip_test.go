package session

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// A long output that gets clipped keeps every byte of its head and tail:
// invalid UTF-8 becomes U+FFFD (one per byte, as in a short output), and a
// cut never splits a character.
func TestClipKeepsInvalidBytesAsReplacement(t *testing.T) {
	bad := "A\xff\xfeBC" // an odd length, so that both cuts fall inside an é
	long := bad + strings.Repeat("é", maxOutput) + bad
	got := clip(long)
	if !utf8.ValidString(got) {
		t.Fatalf("clipped output is not UTF-8")
	}
	if !strings.HasPrefix(got, "A\uFFFD\uFFFDBC") || !strings.HasSuffix(got, "A\uFFFD\uFFFDBC") {
		t.Errorf("invalid bytes dropped: head %q, tail %q", got[:8], got[len(got)-8:])
	}
	if n := strings.Count(got, "\uFFFD"); n != 4 {
		t.Errorf("%d replacement characters, want 4 (a cut split a character?)", n)
	}
	if !strings.Contains(got, "\n… (output cut) …\n") {
		t.Errorf("no cut mark")
	}
	if short := clip(bad); short != bad {
		t.Errorf("short output changed: %q", short)
	}
}
