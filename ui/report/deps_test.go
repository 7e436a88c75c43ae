package report

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoTerminalUIDependency keeps the report plain text generation, usable
// by tests, replay and the command line alike.
func TestNoTerminalUIDependency(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Skipf("go list: %v: %s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/charmbracelet/") {
			t.Errorf("the report package depends on %s", dep)
		}
	}
}
