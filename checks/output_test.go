package checks

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCaptureKeepsSmallOutputWhole(t *testing.T) {
	var c capture
	c.Write([]byte("hello "))
	c.Write([]byte("world\n"))
	if got := c.text(strings.ToUpper); got != "HELLO WORLD\n" {
		t.Fatalf("text = %q", got)
	}
	if got := c.raw(); got != "hello world\n" {
		t.Fatalf("raw = %q", got)
	}
}

func TestCaptureKeepsHeadAndTail(t *testing.T) {
	var c capture
	total := 0
	for i := 0; i < 20000; i++ {
		line := strings.Repeat("x", 30) + "\n"
		if i == 0 {
			line = "FIRST LINE\n"
		}
		if i == 19999 {
			line = "LAST LINE\n"
		}
		c.Write([]byte(line))
		total += len(line)
	}
	out := c.text(func(s string) string { return s })
	if len(out) > OutputLimit+200 {
		t.Fatalf("output is %d bytes, limit %d", len(out), OutputLimit)
	}
	if !strings.HasPrefix(out, "FIRST LINE\n") || !strings.HasSuffix(out, "LAST LINE\n") {
		t.Fatalf("head or tail lost: %q … %q", out[:20], out[len(out)-20:])
	}
	if !strings.Contains(out, " bytes cut …]\n") {
		t.Fatalf("cut not marked")
	}
	// The cut is at line boundaries: every kept line is whole.
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line != "FIRST LINE" && line != "LAST LINE" && line != strings.Repeat("x", 30) && !strings.HasPrefix(line, "[… ") {
			t.Fatalf("partial line kept: %q", line)
		}
	}
	if c.total != int64(total) {
		t.Fatalf("total = %d, want %d", c.total, total)
	}
}

// A secret that straddles a cut must not survive as a fragment next to it.
func TestCaptureCutNeverShowsSecretFragment(t *testing.T) {
	const secret = "hunter2-very-secret-password"
	redact := func(s string) string { return strings.ReplaceAll(s, secret, "***") }
	for shift := 1; shift < len(secret); shift++ {
		// One long line with no breaks; the head's end and the tail's start
		// both fall inside a copy of the secret.
		var c capture
		c.Write([]byte(strings.Repeat("a", half-shift) + secret + strings.Repeat("b", 3*half) +
			secret + strings.Repeat("c", half-(len(secret)-shift))))
		out := c.text(redact)
		for i := 0; i+5 <= len(secret); i++ {
			if frag := secret[i : i+5]; strings.Contains(out, frag) {
				t.Fatalf("shift %d: fragment %q of the secret shown", shift, frag)
			}
		}
	}
}

func TestCaptureCutKeepsValidUTF8(t *testing.T) {
	var c capture
	c.Write([]byte(strings.Repeat("é", OutputLimit))) // no line breaks, 2-byte runes
	if out := c.text(func(s string) string { return s }); !utf8.ValidString(out) {
		t.Fatalf("cut produced invalid UTF-8")
	}
}

func TestClip(t *testing.T) {
	short := strings.Repeat("z", 100)
	if clip(short) != short {
		t.Fatal("short text changed")
	}
	long := "HEAD" + strings.Repeat("ü", OutputLimit) + "TAIL"
	out := clip(long)
	if len(out) > OutputLimit+100 || !strings.HasPrefix(out, "HEAD") || !strings.HasSuffix(out, "TAIL") || !utf8.ValidString(out) {
		t.Fatalf("clip: %d bytes, valid=%v", len(out), utf8.ValidString(out))
	}
	if !strings.Contains(out, "bytes cut") {
		t.Fatal("cut not marked")
	}
}

// BenchmarkCapture measures capturing a chatty command's output against a
// plain bytes.Buffer keeping everything (the reference).
func BenchmarkCapture(b *testing.B) {
	line := []byte(strings.Repeat("x", 99) + "\n")
	const lines = 100_000 // 10 MB
	b.Run("capture", func(b *testing.B) {
		b.SetBytes(lines * int64(len(line)))
		for b.Loop() {
			var c capture
			for range lines {
				c.Write(line)
			}
			_ = c.text(func(s string) string { return s })
		}
	})
	b.Run("bytes.Buffer", func(b *testing.B) {
		b.SetBytes(lines * int64(len(line)))
		for b.Loop() {
			var buf bytes.Buffer
			for range lines {
				buf.Write(line)
			}
			_ = buf.String()
		}
	})
}
