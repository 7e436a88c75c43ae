package cli

import (
	"bytes"
	"strings"
	"testing"
)

// The root command lists every subcommand, in its help too.
func TestRootListsCommands(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := Execute([]string{"--help"}, strings.NewReader(""), &out, &errOut); code != ExitOK {
		t.Fatalf("--help: exit %d: %s", code, errOut.String())
	}
	for _, name := range []string{"run", "resume", "approve", "reject", "watch", "serve", "replay", "report",
		"sessions", "verify-log", "lint", "copy", "verify", "demo"} {
		if !strings.Contains(out.String(), "\n  "+name+" ") {
			t.Errorf("help does not list %s:\n%s", name, out.String())
		}
	}
}
