package dlog

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFromDefaultsToDiscard(t *testing.T) {
	if From(context.Background()) == nil {
		t.Fatal("From gave nil")
	}
}

// The file is the owner's only, appended to, one JSON object a line.
func TestOpenAppendsJSONLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "debug.log")
	for i := range 2 {
		l, c, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		From(With(context.Background(), l)).Debug("hello", "n", i)
		c.Close()
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	f, _ := os.Open(path)
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if m["msg"] != "hello" || m["n"] != float64(n) || m["pid"] == nil {
			t.Errorf("line %d: %v", n, m)
		}
		n++
	}
	if n != 2 {
		t.Errorf("%d lines, want 2 (appended)", n)
	}
}

// A redacting logger masks messages, string values, errors and groups.
func TestRedacting(t *testing.T) {
	var buf strings.Builder
	mask := func(s string) string { return strings.ReplaceAll(s, "hunter2", "***") }
	l := Redacting(slog.New(slog.NewJSONHandler(&buf, nil)), mask).With("dsn", "u:hunter2@h")
	l.Info("open hunter2", "err", errors.New("refused hunter2"), slog.Group("g", "v", "hunter2"), "n", 3)
	if strings.Contains(buf.String(), "hunter2") || !strings.Contains(buf.String(), `"n":3`) {
		t.Errorf("logged %s", buf.String())
	}
}
