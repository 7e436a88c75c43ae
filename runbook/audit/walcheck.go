package audit

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// The first four bytes of a -wal that SQLite wrote (big-endian or
// little-endian frame checksums).
const (
	walMagicBE = 0x377f0682
	walMagicLE = 0x377f0683
	// walHeaderSize is the -wal header; SQLite writes it in one piece.
	walHeaderSize = 32
)

// walContent looks inside the -wal the writer opened. While a session runs
// SQLite never shrinks it (runway sets no journal_size_limit and
// checkpoints with TRUNCATE only in a rescue): it restarts the -wal by
// writing over it from the start, under the same magic. A -wal that
// shrank, or lost the header it was seen with, was cut by someone else,
// and the events it held went with it: a checkpoint would copy the hole
// into the log file. size is what the path holds now; a nil fault updates
// what the next check holds it to. The caller holds l.mu.
func (l *Log) walContent(size int64) *fileFault {
	wal := walName(l.path)
	cut := &fileFault{reason: "its write-ahead file " + wal + " was truncated while open", damaged: true}
	switch {
	case size < l.files.walSize:
		return cut
	case size == 0:
		return nil // no transaction has been written to it yet
	}
	var head walHead
	if size >= walHeaderSize {
		var err error
		head, err = readWALHead(l.path + "-wal")
		switch {
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
			return cut // shorter now than the size just seen
		case err != nil:
			return &fileFault{reason: "its write-ahead file " + wal + ": " + writeFailure(err), into: "the log file"}
		}
	}
	l.files.walSize = size
	switch {
	case head.magic == walMagicBE || head.magic == walMagicLE:
		l.files.walHeader = true
	case l.files.walHeader && head.hole:
		return cut // and written past the cut since: a hole where the header was
	case l.files.walHeader:
		return &fileFault{reason: "its write-ahead file " + wal + " lost its header while open", damaged: true}
	}
	return nil
}

// walHead is what the start of a -wal holds.
type walHead struct {
	magic uint32
	// hole: the header's bytes were never written since the file was last
	// cut; SQLite writes its header before any frame.
	hole bool
}

// readWALHead reads the start of the -wal. SQLite holds no lock on the -wal
// itself, so opening and closing it here strips none.
func readWALHead(path string) (walHead, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return walHead{}, err
	}
	defer f.Close()
	var b [4]byte
	if _, err := io.ReadFull(f, b[:]); err != nil {
		return walHead{}, err
	}
	h := walHead{magic: binary.BigEndian.Uint32(b[:])}
	if h.magic != walMagicBE && h.magic != walMagicLE {
		h.hole = holeAt(f, walHeaderSize)
	}
	return h, nil
}

// rescueCopy saves what the writer still holds when the -wal was cut: the
// frames are gone from the disk, but the pages this process wrote are in
// its page cache, which a VACUUM INTO reads before any file. It writes a
// new file beside the log, never the log itself, and says how that went,
// as the end of a reason. From here on the writer is never closed: closing
// would checkpoint the cut -wal into the log file.
func (l *Log) rescueCopy() string {
	l.keepWriter = true
	base := filepath.Base(l.path)
	lost := "; " + base + " may lack the events since its last checkpoint"
	dst, err := l.rescueFile()
	if err != nil {
		return lost + " (no file could be made to save them into: " + writeFailure(err) + ")"
	}
	ctx, cancel := context.WithTimeout(context.Background(), busyTimeout+5*time.Second)
	defer cancel()
	if _, err := l.w.conn.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		os.Remove(dst)
		why := writeFailure(err)
		var se *sqlite.Error
		if errors.As(err, &se) && se.Code() == sqlite3.SQLITE_IOERR_SHORT_READ {
			why = "not all of them were still in memory"
		}
		return lost + ", and they could not be read back (" + why + ")"
	}
	return lost + "; every event recorded so far was saved into " + filepath.Base(dst)
}

// rescueFile creates an empty file for the rescue beside the log, with
// the log's permissions, under a name no one else has taken.
func (l *Log) rescueFile() (string, error) {
	perm := l.files.main.Mode().Perm()
	for i := 1; ; i++ {
		name := l.path + ".rescued"
		if i > 1 {
			name += fmt.Sprintf(".%d", i)
		}
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL|noFollow, perm)
		switch {
		case err == nil:
			f.Chmod(perm) // past the umask, as the log has it
			return name, f.Close()
		case errors.Is(err, os.ErrExist) && i < 100:
			continue
		}
		return "", err
	}
}
