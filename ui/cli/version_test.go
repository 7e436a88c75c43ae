package cli

import (
	"bytes"
	"strings"
	"testing"

	"runway/runbook/audit"
)

// --version names the build: module version and VCS revision.
func TestVersionPrintsTheBuild(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := Execute([]string{"--version"}, strings.NewReader(""), &out, &errOut); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if got, want := strings.TrimSpace(out.String()), "runway version "+audit.Build(); got != want {
		t.Errorf("--version printed %q, want %q", got, want)
	}
}
