package runbooks

import (
	"io/fs"
	"strings"
	"testing"

	"runway/runbook"
)

// TestStoredTemplatesReadAgain: watch, replay and report read a session's
// runbook from its stored text with placeholders for the variables; every
// template must read again, phases and all, with no secret at hand.
func TestStoredTemplatesReadAgain(t *testing.T) {
	names, err := fs.Glob(FS, "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		text, err := fs.ReadFile(FS, name)
		if err != nil {
			t.Fatal(err)
		}
		rb, err := runbook.ParseStored(name, text)
		if err != nil {
			t.Errorf("%s: %s", name, strings.ReplaceAll(err.Error(), "\n", "; "))
			continue
		}
		if len(rb.Phases) == 0 {
			t.Errorf("%s: no phases read again", name)
		}
	}
}
