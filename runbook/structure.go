package runbook

import (
	"fmt"
	"os"
)

// LoadStructure reads a runbook file as `runway lint` checks it: its
// structure, without its secrets. A ${VAR} that is not set (and has no
// default) is not a problem here but a note, one per reference, so that a
// CI job holding none of the secrets lints the shipped templates clean; the
// value stays unchecked. The runbook returned must never run: its fields
// that referenced unset variables are empty. Load checks the variables as
// a run does.
func LoadStructure(path string) (*Runbook, Problems, error) {
	text, size, err := readCapped(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read runbook: %w", err)
	}
	if len(text) > MaxSize {
		return nil, nil, Problems{sizeProblem(path, size)}
	}
	return ParseStructure(path, text, os.LookupEnv)
}

// LoadWithNotes is Load for `lint --env`: the variables are checked as a
// run checks them, and the notes are what lint notes in a valid runbook
// (a $NAME in a command), not unset variables.
func LoadWithNotes(path string) (*Runbook, Problems, error) {
	text, size, err := readCapped(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read runbook: %w", err)
	}
	if len(text) > MaxSize {
		return nil, nil, Problems{sizeProblem(path, size)}
	}
	notes := Problems{}
	rb, err := parse(path, text, os.LookupEnv, nil, &notes)
	notes = notes.dedup()
	notes.sort()
	return rb, notes, err
}

// ParseStructure is Parse with unset variables as notes (LoadStructure).
func ParseStructure(path string, text []byte, env func(string) (string, bool)) (*Runbook, Problems, error) {
	notes := Problems{}
	rb, err := parse(path, text, env, &notes, &notes)
	notes = notes.dedup()
	notes.sort()
	return rb, notes, err
}

// noteUnset records the unset variables a value references.
func (d *decoder) noteUnset(v kv, names []string) {
	for _, name := range names {
		*d.notes = append(*d.notes, Problem{File: d.file, Pos: v.pos(),
			Msg: fmt.Sprintf("note: %s: variable %s is not set; a run needs it (lint --env checks it as a run does)", v.name, name)})
	}
}
