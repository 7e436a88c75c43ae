package cli

import (
	"errors"
	"path/filepath"
	"strings"

	"runway/runbook/session"
)

// defaultAudit is the --audit default: runway.db in the current directory.
const defaultAudit = "runway.db"

// auditArg is the " --audit PATH" a printed command needs to reach the same
// log, or "" when path is the default the command would use anyway.
func auditArg(path string) string {
	if sameFile(path, defaultAudit) {
		return ""
	}
	return " --audit " + shellQuote(path)
}

func sameFile(a, b string) bool {
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	if errA != nil || errB != nil {
		return filepath.Clean(a) == filepath.Clean(b)
	}
	return absA == absB
}

// shellQuote makes s one shell word: as is when it is plain, else in single quotes.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// resumeHint is the command that continues session id in the log at auditPath.
func resumeHint(id, auditPath string) string {
	return "runway resume" + auditArg(auditPath) + " " + shellQuote(id)
}

// serveResumeHint is the command that serves session id again.
func serveResumeHint(id, auditPath, rosterPath string) string {
	return "runway serve --resume " + shellQuote(id) + " --roster " + shellQuote(rosterPath) + auditArg(auditPath)
}

// demoHint is the command that continues the demo in dir: `runway demo`
// resumes the folder's unfinished session from the log at auditPath, which
// needs naming only when it is not the folder's own runway.db.
func demoHint(dir, auditPath, folderAudit string) string {
	hint := "runway demo --dir " + shellQuote(dir)
	if !sameFile(auditPath, folderAudit) {
		hint += " --audit " + shellQuote(auditPath)
	}
	return hint
}

// refusedResume reports whether err is a refusal to drive a session: driven
// by another process, or a command of its interrupted run still running.
func refusedResume(err error) bool {
	return errors.As(err, new(*session.DrivenError)) || errors.As(err, new(*session.LeftRunningError))
}

// drivenElsewhere turns a refusal to drive a session into exit status 2:
// driven by another live process, with the way to watch it instead; a
// command of its interrupted run still running, naming it. Any other error
// is returned as it is.
func drivenElsewhere(err error, auditPath string) error {
	if errors.As(err, new(*session.LeftRunningError)) {
		return withCode(ExitUsage, err)
	}
	var d *session.DrivenError
	if !errors.As(err, &d) {
		return err
	}
	return exitf(ExitUsage, "%s; watch it with: runway watch --audit %s %s", d, shellQuote(auditPath), shellQuote(d.ID))
}
