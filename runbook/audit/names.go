package audit

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// checkName refuses to write a log reached under a name that is not its
// only one. Whatever guards a session from a second driver (its lock file,
// its -wal) is named after the path it was opened by: under a symbolic
// link, SQLite writes the -wal beside the link's target, and under a second
// hard link, a second process would take a lock of its own and write a
// -wal of its own into the same file. fi is the path's Lstat; a missing
// file is created under this name and is refused nothing.
func checkName(path string, fi os.FileInfo) error {
	if fi.Mode()&os.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(path)
		if err != nil {
			return &unwritableError{path: path, reason: "it is a symbolic link, and runway writes a log only under its own name", err: err}
		}
		return &unwritableError{path: path, reason: "it is a symbolic link to " + target + ", and runway writes a log only under its own name: give that path"}
	}
	if n := linkCount(fi); fi.Mode().IsRegular() && n > 1 {
		return &unwritableError{path: path, reason: fmt.Sprintf(
			"it has %d names (hard links), and runway writes a log under one name only, so that no session is driven under two; remove the others (find them with: find / -samefile %s)", n, path)}
	}
	return nil
}

// lstatName checks the name path before anything opens it.
func lstatName(path string) error {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("open audit log %s: %w", path, err)
	}
	return checkName(path, fi)
}
