//go:build linux

package watch

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// writers lists the processes other than this one that hold path open for
// writing, by reading /proc/*/fd and the open flags in /proc/*/fdinfo. A
// watcher, a replay or a report opens the log read-only, so only a driver
// shows up. Processes of other users cannot be inspected and are not seen.
// ok is false when /proc cannot be read at all.
func writers(path string, self int) (pids []int, ok bool) {
	target, err := filepath.Abs(path)
	if err != nil {
		return nil, false
	}
	if real, err := filepath.EvalSymlinks(target); err == nil {
		target = real
	}
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return nil, false
	}
	for _, p := range procs {
		pid, err := strconv.Atoi(p.Name())
		if err != nil || pid == self {
			continue
		}
		if holdsForWriting(pid, target) {
			pids = append(pids, pid)
		}
	}
	return pids, true
}

// holdsForWriting reports whether process pid has target open read-write.
func holdsForWriting(pid int, target string) bool {
	dir := "/proc/" + strconv.Itoa(pid)
	fds, err := os.ReadDir(dir + "/fd")
	if err != nil {
		return false // gone, or another user's
	}
	for _, fd := range fds {
		link, err := os.Readlink(dir + "/fd/" + fd.Name())
		if err != nil || link != target {
			continue
		}
		if flags, ok := fdFlags(dir + "/fdinfo/" + fd.Name()); ok && flags&syscall.O_ACCMODE != syscall.O_RDONLY {
			return true
		}
	}
	return false
}

// fdFlags reads the "flags:" line (octal) of an fdinfo file.
func fdFlags(path string) (int, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "flags:"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(rest), 8, 64)
			return int(n), err == nil
		}
	}
	return 0, false
}
