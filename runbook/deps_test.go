package runbook

import (
	"os/exec"
	"strings"
	"testing"
)

// The runbook format stays free of the UI, the engines and the checks that
// use it; it shares only the words of runway/runbook/text.
func TestDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "runway/runbook").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/charmbracelet/") || strings.HasPrefix(dep, "runway/") && dep != "runway/runbook" && dep != "runway/runbook/text" {
			t.Errorf("runbook depends on %s", dep)
		}
	}
}
