// Package demo builds the self-contained demo that `runway demo` opens: a
// folder holding a "legacy" SQLite database with realistic rows, an empty
// "new" database, the demo runbook, and the audit log; and, while the
// session runs, a background writer that keeps changing legacy orders so the
// catch-up has live work.
package demo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// DefaultDir is where `runway demo` builds its folder when none is given.
const DefaultDir = "runway-demo"

// File names inside the demo folder. The runbook refers to them relative to
// its own folder, so they must not change without changing demo.yaml.
const (
	LegacyFile   = "legacy.db"  // the old side
	NewFile      = "new.db"     // the new side, created by the copy
	RunbookFile  = "demo.yaml"  // the runbook, readable and editable
	AuditFile    = "runway.db"  // the audit log, unless --audit says otherwise
	ReadOnlyFile = "READONLY"   // created by the cut-over step: the writer stops
	WriterFile   = "writer.pid" // present while the background writer runs
	MarkerFile   = ".runway-demo"
)

// stepFiles are left by the runbook's own command steps (cut-over, retire).
var stepFiles = []string{"active-database", "legacy-retired"}

// Layout is the set of paths of one demo folder.
type Layout struct {
	Dir      string
	Legacy   string
	New      string
	Runbook  string
	Audit    string
	ReadOnly string
	Writer   string
	Marker   string
}

// At returns the layout of the demo folder dir.
func At(dir string) Layout {
	j := func(name string) string { return filepath.Join(dir, name) }
	return Layout{
		Dir:      dir,
		Legacy:   j(LegacyFile),
		New:      j(NewFile),
		Runbook:  j(RunbookFile),
		Audit:    j(AuditFile),
		ReadOnly: j(ReadOnlyFile),
		Writer:   j(WriterFile),
		Marker:   j(MarkerFile),
	}
}

// Exists reports whether dir already holds a demo built by runway.
func (l Layout) Exists() bool {
	_, err := os.Stat(l.Marker)
	return err == nil
}

// generated lists every file a build or a session may leave in the folder,
// SQLite's -wal and -shm companions included.
func (l Layout) generated() []string {
	var out []string
	for _, db := range []string{l.Legacy, l.New, l.Audit} {
		out = append(out, db, db+"-wal", db+"-shm", db+"-journal")
	}
	for _, f := range stepFiles {
		out = append(out, filepath.Join(l.Dir, f))
	}
	return append(out, l.Runbook, l.ReadOnly, l.Writer, l.Marker)
}

// onlyLock reports whether the folder holds nothing but the lock file this
// process took before building.
func onlyLock(entries []os.DirEntry) bool {
	return len(entries) == 1 && entries[0].Name() == LockFile
}

// Clean removes what a previous demo left in the folder, and nothing else:
// a folder that holds other files and no demo marker is refused, so a
// mistyped --dir never deletes someone's data.
func (l Layout) Clean() error {
	entries, err := os.ReadDir(l.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read demo folder %s: %w", l.Dir, err)
	}
	if len(entries) > 0 && !l.Exists() && !onlyLock(entries) {
		return fmt.Errorf("folder %s is not empty and holds no runway demo: choose another --dir", l.Dir)
	}
	for _, p := range l.generated() {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove %s: %w", p, err)
		}
	}
	return nil
}
