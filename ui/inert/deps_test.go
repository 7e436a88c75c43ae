package inert

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoCharmDependency keeps the sanitiser usable from any package,
// runbook/, engine/ and checks/ included; it shares only the words of
// runway/runbook/text, which import nothing of runway.
func TestNoCharmDependency(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Skipf("go list: %v: %s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/charmbracelet/") || strings.HasPrefix(dep, "runway/") && dep != "runway/ui/inert" && dep != "runway/runbook/text" {
			t.Errorf("the inert package depends on %s", dep)
		}
	}
}
