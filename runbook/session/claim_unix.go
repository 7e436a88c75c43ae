//go:build unix

package session

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"runway/runbook/flock"
)

// openLock opens the lock file at path, creating it, and refuses what
// runway would not have made there: a symbolic link (not followed), a
// special file, a file with a second name, or one owned by someone other
// than this user or the audit log's owner. In a folder others may write,
// such a name could make runway overwrite another file with its stamp.
// Nothing is written before these checks.
func openLock(path, auditPath string) (*os.File, error) {
	f, err := flock.Open(path, 0o600)
	if errors.Is(err, flock.ErrSymlink) {
		return nil, foreignLock(path, "a symbolic link")
	}
	if err != nil {
		return nil, err
	}
	if why := lockFileFault(f, auditPath); why != "" {
		f.Close()
		return nil, foreignLock(path, why)
	}
	return f, nil
}

// lockFileFault says what is wrong with the open lock file f, or "".
func lockFileFault(f *os.File, auditPath string) string {
	fi, err := f.Stat()
	if err != nil {
		return "unreadable (" + err.Error() + ")"
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	switch {
	case !fi.Mode().IsRegular():
		return "not a regular file"
	case !ok:
		return ""
	case st.Nlink != 1:
		return fmt.Sprintf("a file with %d names (hard links)", st.Nlink)
	case int(st.Uid) == os.Geteuid():
		return ""
	}
	if lf, err := os.Stat(auditPath); err == nil {
		if ls, ok := lf.Sys().(*syscall.Stat_t); ok && ls.Uid == st.Uid {
			return ""
		}
	}
	return fmt.Sprintf("owned by uid %d, neither you nor the audit log's owner", st.Uid)
}
