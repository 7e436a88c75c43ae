package report

import (
	"strings"

	"runway/runbook/text"
)

// Mark is a status or tone with an icon in front, so a state is always
// shown in words and a symbol, never by colour alone.
func Mark(s string) string {
	if s == "" {
		return ""
	}
	return icon(s) + " " + s
}

// icon is the symbol for a status (passed, failed, …) or a timeline tone.
func icon(s string) string {
	if strings.HasPrefix(strings.ToLower(s), "passed with ") {
		return "⚠" // overrides, warnings or skips: not a clean pass
	}
	switch strings.ToLower(s) {
	case "passed", "ok", "pass", "overridden and passed":
		return "✔"
	case "failed", "fail", "halted", "stopped", "tampered":
		return "✖"
	case "overridden", "override":
		return "⚑"
	case "signoff":
		return "✍"
	case "rolled back", "rollback", "rolling back":
		return "↺"
	case "running", "awaiting sign-off", "waiting for approval":
		return "…"
	case "skipped", "interrupted", "warn", "unfinished", "rejected", "quit", "closed", "hangup":
		return "⚠"
	case "pending", "locked", "ready":
		return "○"
	}
	return "·"
}

// Tone is the class of a status, for styling: ok, fail, warn, override, rollback, info.
func Tone(s string) string {
	switch icon(s) {
	case "✔":
		return "ok"
	case "✖":
		return "fail"
	case "⚑":
		return "override"
	case "✍":
		return "signoff"
	case "↺":
		return "rollback"
	case "⚠", "…":
		return "warn"
	}
	return "info"
}

// PhasesPassed counts the phases that passed.
func (r *Report) PhasesPassed() int {
	n := 0
	for _, p := range r.Phases {
		if p.Status == "passed" {
			n++
		}
	}
	return n
}

// Tally is the one-line count of what the report holds.
func (r *Report) Tally() string {
	passed := r.PhasesPassed()
	parts := []string{
		Count(int64(passed)) + "/" + Count(int64(len(r.Phases))) + " phases passed",
		text.Count(len(r.Failures), "failure", "failures"),
		text.Count(len(r.Overrides), "override", "overrides"),
		text.Count(len(r.SignOffs), "sign-off", "sign-offs"),
		text.Count(len(r.Rollbacks), "rollback", "rollbacks"),
	}
	return strings.Join(parts, " · ")
}
