package keys

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateREADME = flag.Bool("update", false, "write the key table into README.md between its markers")

// The README's key table sits between these markers.
const (
	beginMarker = "<!-- keys:begin -->"
	endMarker   = "<!-- keys:end -->"
)

// TestREADMEKeys: the README lists exactly the console's keys, generated
// from the key map (go test ./ui/keys -run TestREADMEKeys -update rewrites
// the table between the markers).
func TestREADMEKeys(t *testing.T) {
	path := filepath.Join("..", "..", "README.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	text := string(data)
	before, rest, ok := strings.Cut(text, beginMarker)
	body, after, ok2 := strings.Cut(rest, endMarker)
	if !ok || !ok2 {
		t.Fatalf("%s has no %s … %s markers around its key table: add them, then run go test ./ui/keys -run TestREADMEKeys -update", path, beginMarker, endMarker)
	}
	want := "\n" + Markdown()
	if *updateREADME {
		if err := os.WriteFile(path, []byte(before+beginMarker+want+endMarker+after), 0o644); err != nil {
			t.Fatalf("write %s: %v", path, err)
		}
		return
	}
	if body != want {
		t.Errorf("%s's key table differs from the key map; run go test ./ui/keys -run TestREADMEKeys -update\n--- README\n%s\n--- key map\n%s", path, body, want)
	}
}

// TestMarkdownListsEveryKey: every binding's every key is in the table.
func TestMarkdownListsEveryKey(t *testing.T) {
	md := Markdown()
	for _, g := range Default().Groups() {
		for _, b := range g.Bindings {
			for _, k := range b.Keys() {
				name := k
				if n, ok := keyNames[k]; ok {
					name = n
				}
				if !strings.Contains(md, "`"+name+"`") {
					t.Errorf("%s (%s) is not in the table", k, b.Help().Desc)
				}
			}
			if !strings.Contains(md, "| "+b.Help().Desc+" |") {
				t.Errorf("%q is not in the table", b.Help().Desc)
			}
		}
	}
	if n := strings.Count(md, "\n"); n != 2+len(allBindings()) {
		t.Errorf("table has %d lines, want %d", n, 2+len(allBindings()))
	}
}

// allBindings are the key map's bindings and the dialog keys.
func allBindings() []string {
	var out []string
	for _, g := range Default().Groups() {
		for _, b := range g.Bindings {
			out = append(out, b.Help().Desc)
		}
	}
	for _, b := range Dialog().FullHelp()[0] {
		out = append(out, b.Help().Desc)
	}
	return out
}
