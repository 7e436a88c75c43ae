package termtest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// sourceKey hashes what the binary is built from: every file of the module
// except tests, test data and hidden folders, plus the toolchain, the build
// flags and the commit (the binary stamps the VCS revision). A key that
// changes needlessly only costs a build; one that missed a change would
// test a stale binary, so the walk takes more than Go files.
func sourceKey(root string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s %s/%s GOFLAGS=%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, os.Getenv("GOFLAGS"))
	head, _ := exec.Command("git", "-C", root, "rev-parse", "HEAD").Output()
	fmt.Fprintf(h, "HEAD %s\n", strings.TrimSpace(string(head)))
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || strings.HasSuffix(name, "_test.go") || strings.HasPrefix(name, ".") {
			return nil
		}
		return hashFile(h, root, path)
	})
	if err != nil {
		return "", fmt.Errorf("hash the sources under %s: %w", root, err)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

func hashFile(h io.Writer, root, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rel, _ := filepath.Rel(root, path)
	fmt.Fprintf(h, "\x00%s\x00", rel)
	_, err = io.Copy(h, f)
	return err
}
