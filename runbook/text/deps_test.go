package text

import (
	"os/exec"
	"strings"
	"testing"
)

// The words sit below every other package of runway: they import none of
// them, and no Charm package.
func TestDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "runway/runbook/text").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/charmbracelet/") || strings.HasPrefix(dep, "runway/") && dep != "runway/runbook/text" {
			t.Errorf("runbook/text depends on %s", dep)
		}
	}
}
