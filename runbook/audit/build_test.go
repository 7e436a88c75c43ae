package audit

import (
	"runtime/debug"
	"testing"
)

func TestBuildNamesVersionAndRevision(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	for _, c := range []struct {
		version  string
		settings []debug.BuildSetting
		want     string
	}{
		{"v1.4.0", nil, "v1.4.0"},
		{"", nil, "(devel), revision unknown"},
		{"(devel)", vcs("1a2b3c4d5e6f7a8b9c0d", "true"), "(devel) 1a2b3c4d5e6f+dirty"},
		{"(devel)", vcs("1a2b3c4d5e6f7a8b9c0d", "false"), "(devel) 1a2b3c4d5e6f"},
		{"v0.0.0-20261206130000-1a2b3c4d5e6f+dirty", vcs("1a2b3c4d5e6f7a8b9c0d", "true"), "v0.0.0-20261206130000-1a2b3c4d5e6f+dirty"},
	} {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "runway", Version: c.version}, Settings: c.settings}
		if got := buildOf(bi); got != c.want {
			t.Errorf("version %q settings %v: %q, want %q", c.version, c.settings, got, c.want)
		}
	}
	if Build() == "" {
		t.Error("Build is empty")
	}
}
