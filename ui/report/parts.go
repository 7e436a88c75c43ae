package report

import (
	"strings"

	"runway/runbook/fold"
)

// parts are the session's opening and resumes, each with the build that
// ran it, as the fold keeps them.
func parts(st *fold.State) []Part {
	out := []Part{}
	for _, p := range st.Parts {
		how := "opened"
		if p.Resumed {
			how = "resumed"
		}
		out = append(out, Part{Seq: p.Seq, At: p.At.UTC(), How: how, Operator: p.Operator, Host: p.Host, Build: p.Build})
	}
	return out
}

// buildsLabel heads the builds entry: "Build", or "Builds" when the
// session was resumed.
func buildsLabel(parts []Part) string {
	if len(parts) > 1 {
		return "Builds"
	}
	return "Build"
}

// buildsText says which build ran each part of the session: "(devel)
// 1a2b3c4d5e6f" for a session one build ran, else one "how, when, by whom:
// build" per part.
func buildsText(parts []Part) string {
	if len(parts) == 0 {
		return "not recorded"
	}
	if len(parts) == 1 {
		return orString(parts[0].Build, "not recorded")
	}
	var s []string
	for _, p := range parts {
		s = append(s, p.How+" "+Stamp(p.At)+" by "+orString(p.Operator, "?")+": "+orString(p.Build, "not recorded"))
	}
	return strings.Join(s, "; ")
}
