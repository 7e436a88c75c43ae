package termtest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// staleAfter is how long a cached binary may go unused before a later build
// removes it: long enough that no test run still holds its path.
const staleAfter = 6 * time.Hour

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// Binary returns the path of the runway executable for this source tree,
// building it on first use. Every test binary of one `go test ./...` run
// (and later runs while the sources stay the same) shares one build: the
// executable is cached under a key that hashes the module's sources, and a
// file lock lets exactly one package build while the others wait for it.
//
// It is built without the race detector even under -race: tests drive it
// from outside, and the detector would slow its SQLite work tenfold.
func Binary(tb testing.TB) string {
	tb.Helper()
	binOnce.Do(func() { binPath, binErr = cachedBuild() })
	if binErr != nil {
		tb.Fatal(binErr)
	}
	return binPath
}

func cachedBuild() (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	key, err := sourceKey(root)
	if err != nil {
		return "", err
	}
	dir, err := cacheDir()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "runway-"+key)
	// One lock per key: another worktree's build never waits on this one.
	unlock, err := lockFile(bin + ".lock")
	if err != nil {
		return "", err
	}
	defer unlock()
	now := time.Now()
	if err := os.Chtimes(bin, now, now); err == nil {
		return bin, nil // built by an earlier package or run; marked as used
	}
	if err := build(root, bin); err != nil {
		return "", err
	}
	pruneStale(dir, bin)
	return bin, nil
}

// build runs go build into a temporary name and renames it into place, so
// that no reader ever sees a half-written executable.
func build(root, bin string) error {
	tmp := fmt.Sprintf("%s.tmp%d", bin, os.Getpid())
	cmd := exec.Command("go", "build", "-o", tmp, ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("go build in %s: %v\n%s", root, err, out)
	}
	if err := os.Rename(tmp, bin); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("place the runway binary: %w", err)
	}
	return nil
}

// cacheDir is where built binaries are kept between runs.
func cacheDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	dir := filepath.Join(base, "runway-termtest")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("binary cache %s: %w", dir, err)
	}
	return dir, nil
}

// pruneStale removes binaries of other source trees unused for a while, so
// that the cache does not grow with every edit. A lock file goes only once
// its binary has gone.
func pruneStale(dir, keep string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		info, err := e.Info()
		if p == keep || strings.HasPrefix(p, keep+".") || err != nil || time.Since(info.ModTime()) < staleAfter {
			continue
		}
		if lock, ok := strings.CutSuffix(p, ".lock"); ok {
			if _, err := os.Stat(lock); err == nil {
				continue
			}
		}
		os.Remove(p)
	}
}

// moduleRoot walks up from the test's working folder (its package) to the
// folder that holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", errors.New("no go.mod above the test's folder")
		}
		dir = up
	}
}
