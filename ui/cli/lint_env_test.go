package cli

import (
	"bytes"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// runClean runs the binary in dir with an environment that holds no
// variable but HOME: a CI job without the runbooks' secrets.
func runClean(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(runwayBinary(t), args...)
	cmd.Dir = dir
	cmd.Env = []string{"HOME=" + t.TempDir()}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), out.String()
}

// TestLintTemplatesWithoutSecrets: the shipped templates lint clean with no
// variable set (exit 0, each unset variable a note); lint --env and run
// still refuse them (exit 2), as a run must.
func TestLintTemplatesWithoutSecrets(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "runbooks", "*.yaml"))
	if err != nil || len(files) < 4 {
		t.Fatalf("templates %v %v", files, err)
	}
	for i := range files {
		files[i], _ = filepath.Abs(files[i])
	}
	dir := t.TempDir()
	code, out := runClean(t, dir, append([]string{"lint"}, files...)...)
	if code != 0 || strings.Count(out, ": ok — ") != len(files) {
		t.Fatalf("lint without secrets: exit %d\n%s", code, out)
	}
	for _, v := range []string{"LEGACY_DSN", "TARGET_DSN"} {
		if !strings.Contains(out, "note: dsn: variable "+v+" is not set; a run needs it") {
			t.Errorf("no note for %s:\n%s", v, out)
		}
	}
	code, out = runClean(t, dir, append([]string{"lint", "--env"}, files...)...)
	if code != 2 || !strings.Contains(out, "dsn: variable LEGACY_DSN is not set (set it") {
		t.Errorf("lint --env without secrets: exit %d, want 2\n%s", code, out)
	}
	template := ""
	for _, f := range files {
		if strings.HasSuffix(f, "log-chasing.yaml") {
			template = f
		}
	}
	code, out = runClean(t, dir, "run", "--plain", template)
	if code != 2 || !strings.Contains(out, "variable LEGACY_DSN is not set") {
		t.Errorf("run without secrets: exit %d, want 2\n%s", code, out)
	}
}
