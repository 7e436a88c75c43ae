package approvals

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// maxPath is the longest path a Unix socket address holds on Linux
// (sun_path, 108 bytes with its terminating NUL).
const maxPath = 107

const suffix = ".sock"

// Path is the approval socket of session id beside the audit log at audit.
func Path(audit, id string) string { return audit + "." + id + suffix }

// Sessions lists the ids of the sessions whose approval sockets lie beside
// the audit log at audit, live or left by a process that ended.
func Sessions(audit string) ([]string, error) {
	dir, base := filepath.Split(audit)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list approval sockets in %s: %w", dir, err)
	}
	var ids []string
	for _, e := range entries {
		name := e.Name()
		if e.Type()&fs.ModeSocket == 0 || !strings.HasPrefix(name, base+".") || !strings.HasSuffix(name, suffix) {
			continue
		}
		if id := strings.TrimSuffix(strings.TrimPrefix(name, base+"."), suffix); id != "" {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// clearStale makes room for a new socket at path: nothing there is fine; a
// socket nobody answers on (its process was killed) is removed; a socket a
// live process answers on, or a file that is no socket, is an error.
func clearStale(path string) error {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("approval socket %s: %w", path, err)
	case fi.Mode()&fs.ModeSocket == 0:
		return fmt.Errorf("approval socket %s: a file that is not a socket is in the way", path)
	}
	c, err := net.DialTimeout("unix", path, 2*time.Second)
	if err == nil {
		c.Close()
		return fmt.Errorf("approval socket %s: another process listens on it", path)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("approval socket %s: %w", path, err)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove stale approval socket %s: %w", path, err)
	}
	return nil
}

// share gives the socket the audit log's group and lets connect whoever may
// write the audit log: its owner always, its group or everyone when the
// log is writable by them. Who could write the log could drive the session;
// anyone else on the host may not approve. The driver still refuses the
// requester's own uid, whatever the mode.
func share(path, audit string) error {
	mode := fs.FileMode(0o600)
	fi, err := os.Stat(audit)
	if err != nil {
		return fmt.Errorf("approval socket %s: audit log %s: %w", path, audit, err)
	}
	perm := fi.Mode().Perm()
	if perm&0o020 != 0 {
		mode |= 0o060
	}
	if perm&0o002 != 0 {
		mode |= 0o006
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && mode&0o060 != 0 {
		_ = os.Chown(path, -1, int(st.Gid)) // best effort: only a member of the group may
	}
	if err := os.Chmod(path, mode); err != nil {
		return fmt.Errorf("approval socket %s: %w", path, err)
	}
	return nil
}
