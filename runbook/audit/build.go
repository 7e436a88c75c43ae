package audit

import (
	"runtime/debug"
	"strings"
)

// Build names the running binary: its module version and, when it was built
// from a checkout, the VCS revision ("+dirty" with uncommitted changes),
// e.g. "v1.4.0", "(devel) 1a2b3c4d5e6f+dirty". Every session.opened and
// session.resumed records it, as it records the process id, so a
// postmortem knows which build ran each part of a session.
func Build() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	return buildOf(bi)
}

func buildOf(bi *debug.BuildInfo) string {
	version := bi.Main.Version
	if version == "" {
		version = "(devel)"
	}
	var rev string
	var dirty bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	switch {
	case rev == "" && version == "(devel)":
		return version + ", revision unknown" // built with -buildvcs=false or outside a checkout
	case rev == "" || strings.Contains(version, rev):
		return version // a version derived from the revision already names it
	}
	if dirty {
		rev += "+dirty"
	}
	return version + " " + rev
}
