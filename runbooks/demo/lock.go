package demo

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"runway/runbook/flock"
)

// LockFile is held by the one `runway demo` that uses the folder: taken
// before anything is checked or built, released when the process ends (the
// system drops the lock with the process, so a killed demo leaves none).
const LockFile = ".runway-demo.lock"

// Lock is the hold of one process on a demo folder.
type Lock struct{ f *os.File }

// BusyError is the refusal of a folder another demo process holds.
type BusyError struct {
	Dir string
	PID int // 0 when the holder had not written it yet
}

func (e *BusyError) Error() string {
	who := "another runway demo"
	if e.PID > 0 {
		who = fmt.Sprintf("another runway demo (process %d)", e.PID)
	}
	return fmt.Sprintf("%s is using %s: wait for it to end, or choose another --dir", who, e.Dir)
}

// Lock takes the folder for this process, creating the folder if it does
// not exist. A folder that holds other files and no demo is refused
// untouched, as Clean refuses it; a second demo on the folder gets a
// *BusyError naming the first.
func (l Layout) Lock() (*Lock, error) {
	if err := l.refuseForeign(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(l.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("create demo folder %s: %w", l.Dir, err)
	}
	path := l.lockPath()
	f, err := flock.Open(path, 0o644)
	if errors.Is(err, flock.ErrSymlink) {
		return nil, fmt.Errorf("demo lock %s: is a symbolic link; remove it", path)
	}
	if err != nil {
		return nil, fmt.Errorf("demo lock %s: %w", path, err)
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("demo lock %s: not a regular file", path)
	}
	held, err := flock.TryLock(f)
	switch {
	case err != nil:
		f.Close()
		return nil, fmt.Errorf("demo lock %s: %w", path, err)
	case !held:
		f.Close()
		return nil, &BusyError{Dir: l.Dir, PID: waitHolder(path)}
	}
	flock.Stamp(f, strconv.Itoa(os.Getpid())+"\n")
	return &Lock{f: f}, nil
}

// Release lets another demo use the folder.
func (k *Lock) Release() {
	if k != nil && k.f != nil {
		k.f.Close()
		k.f = nil
	}
}

func (l Layout) lockPath() string { return l.Dir + string(os.PathSeparator) + LockFile }

// refuseForeign refuses a folder that holds files and is not a demo's.
func (l Layout) refuseForeign() error {
	entries, err := os.ReadDir(l.Dir)
	if err != nil || l.Exists() {
		return nil // missing: created next; unreadable: the build says so
	}
	for _, e := range entries {
		if e.Name() != LockFile {
			return fmt.Errorf("folder %s is not empty and holds no runway demo: choose another --dir", l.Dir)
		}
	}
	return nil
}

// waitHolder reads the process id the holder writes right after taking
// the lock, giving it a second to do so (0 if it has not).
func waitHolder(path string) int {
	for range 20 {
		if pid := lockHolder(path); pid > 0 {
			return pid
		}
		time.Sleep(50 * time.Millisecond)
	}
	return 0
}

// lockHolder reads the process id the holder wrote (0 if none yet).
func lockHolder(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return max(pid, 0)
}
