// Package runbooks holds the runbooks shipped with runway: the five-phase
// migration templates a team starts from (downtime copy, log chasing, dual
// write) and the demo's runbook.
package runbooks

import (
	"embed"
	"io/fs"
	"sort"
)

// FS holds every shipped runbook, by file name.
//
//go:embed *.yaml
var FS embed.FS

// Names lists the shipped runbooks' file names, sorted.
func Names() []string {
	entries, err := fs.ReadDir(FS, ".")
	if err != nil { // cannot happen with an embedded folder; an empty list is the honest answer
		return nil
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names
}
