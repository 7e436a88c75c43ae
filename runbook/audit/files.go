package audit

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// guardEvery is how often an open log looks at its files between writes, so
// a -wal removed while a session waits on the operator is noticed, and its
// events saved, before anything else can happen to the process.
const guardEvery = 250 * time.Millisecond

// opened is the identity of the files the writer has open: SQLite goes on
// writing to a file that was removed or replaced, so each write compares
// them with what the paths name now.
type opened struct {
	main, wal os.FileInfo
	walSize   int64 // the largest size the -wal was seen with
	// walHeader is set once the -wal was seen with SQLite's header. One
	// left unreadable by an earlier process is ignored by SQLite, which
	// writes its header before any frame, so only a header seen can be lost.
	walHeader bool
}

// fileFault is a file of the log that is no longer the one opened.
type fileFault struct {
	reason string
	// into names the main file the writer still reaches, where a checkpoint
	// can move the events held only in the -wal; "" means no rescue.
	into string
	// damaged means the -wal was cut: what it held is gone from the disk,
	// and a checkpoint would copy the hole into the log file.
	damaged bool
}

// statFiles records the identity of the log and its -wal; the writer has
// both open once the schema is checked.
func (l *Log) statFiles() error {
	main, err := os.Lstat(l.path)
	if err != nil {
		return unwritable(l.path, err)
	}
	// Again now that the file is open: a name added since the first look
	// would let a second driver in by it.
	if err := checkName(l.path, main); err != nil {
		return err
	}
	wal, err := os.Stat(l.path + "-wal")
	if err != nil {
		return &unwritableError{path: l.path, reason: "its write-ahead file " + walName(l.path) + " is missing", err: err}
	}
	l.files = opened{main: main, wal: wal, walSize: wal.Size()}
	l.walContent(wal.Size()) // notes a header already there
	return nil
}

// fault compares the files at the paths with the ones opened; nil means
// both are still ours.
func (l *Log) fault() *fileFault {
	fi, err := os.Stat(l.path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		// The events since the last checkpoint wait in the -wal beside the
		// old name; a checkpoint would empty it into a file no one can reach.
		return &fileFault{reason: "the file was removed while open"}
	case err != nil:
		return &fileFault{reason: writeFailure(err)}
	case !os.SameFile(fi, l.files.main):
		return &fileFault{reason: "the file was replaced by another while open", into: "the file that was moved away"}
	}
	wal := walName(l.path)
	fi, err = os.Stat(l.path + "-wal")
	switch {
	case errors.Is(err, os.ErrNotExist):
		return &fileFault{reason: "its write-ahead file " + wal + " was removed while open", into: "the log file"}
	case err != nil:
		return &fileFault{reason: "its write-ahead file " + wal + ": " + writeFailure(err), into: "the log file"}
	case !os.SameFile(fi, l.files.wal):
		return &fileFault{reason: "its write-ahead file " + wal + " was replaced by another while open", into: "the log file"}
	}
	return l.walContent(fi.Size())
}

// checkFiles poisons the log if one of its files is no longer the one
// opened, after saving what it can. The caller holds l.mu, outside any
// transaction.
func (l *Log) checkFiles() error {
	f := l.fault()
	if f == nil {
		return nil
	}
	reason := f.reason
	switch {
	case f.damaged:
		reason += l.rescueCopy()
	case f.into != "":
		reason += l.rescue(f.into)
	}
	return l.fail(&unwritableError{path: l.path, reason: reason})
}

// rescue checkpoints through the writer's open descriptors, which still
// reach the -wal and the main file whatever their names now are: every
// event recorded so far is written into the main file, and the -wal is
// emptied so it cannot be replayed into a file that is not ours. It says
// how that went, as the end of a reason; into names the main file.
func (l *Log) rescue(into string) string {
	ctx, cancel := context.WithTimeout(context.Background(), busyTimeout+5*time.Second)
	defer cancel()
	var busy, frames, done int64
	err := l.w.conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &done)
	switch {
	case err != nil:
		return fmt.Sprintf("; the latest events could not be saved into %s (%s)", into, writeFailure(err))
	case busy != 0 || done < frames:
		return "; another process kept the latest events from being saved into " + into
	}
	return "; every event recorded so far was saved into " + into
}

// guard looks at the files every interval until stop is closed.
func (l *Log) guard(stop <-chan struct{}, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		l.mu.Lock()
		if l.poison == nil && !l.closed {
			l.checkFiles()
		}
		l.mu.Unlock()
	}
}

func walName(path string) string { return filepath.Base(path) + "-wal" }
