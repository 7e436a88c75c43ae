package runbook

import (
	"fmt"
	"regexp"
	"strings"
)

// A command's run text may name an environment variable the shell way,
// $NAME, instead of ${NAME}: the shell expands it, but runway neither
// records its fingerprint nor masks its value. Lint notes such a name
// when it is one a user would mean as a runbook variable: in capitals
// (APP_TOKEN, not x), not set by the command itself (X=1, for X in, read
// X), not one the shell or the login sets (HOME, PATH, USER, LC_*…), and
// outside single quotes, comments and $$.

// noteBareVars records the $NAME references of a command's run text.
func (d *decoder) noteBareVars(v kv) {
	if d.hints == nil || v.val == nil || !isScalar(v.val) {
		return
	}
	for _, name := range bareVars(nodeText(v.val)) {
		*d.hints = append(*d.hints, Problem{File: d.file, Pos: v.pos(), Msg: fmt.Sprintf(
			"note: %s: $%s is not a runbook variable: write ${%s} so that runway records its fingerprint and masks its value (lint notes a $NAME in capitals that the command does not set and the shell does not provide)",
			v.name, name, name)})
	}
}

// bareVars returns, in order and once each, the names of the $NAME
// references in a shell script that lint notes (see above).
func bareVars(script string) []string {
	assigned := assignedNames(script)
	var names []string
	seen := map[string]bool{}
	var quote byte // '\'' or '"' while inside quotes
	for i := 0; i < len(script); i++ {
		c := script[i]
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			}
		case c == '\\':
			i++ // escaped: \$NAME is text
		case c == '"':
			quote ^= '"'
		case c == '\'' && quote == 0:
			quote = '\''
		case c == '#' && quote == 0 && (i == 0 || strings.IndexByte(" \t\n;&|(", script[i-1]) >= 0):
			for i < len(script) && script[i] != '\n' {
				i++
			}
		case c == '$' && i+1 < len(script) && script[i+1] == '$':
			i++ // $$, the shell's pid (and runway's escaped $${)
		case c == '$':
			name := shellName(script[i+1:])
			i += len(name)
			if capitals(name) && !assigned[name] && !shellProvided(name) && !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
	}
	return names
}

// shellName is the variable name at the start of s ("" if none).
func shellName(s string) string {
	n := 0
	for n < len(s) && (s[n] == '_' || s[n] >= 'A' && s[n] <= 'Z' || s[n] >= 'a' && s[n] <= 'z' || n > 0 && s[n] >= '0' && s[n] <= '9') {
		n++
	}
	return s[:n]
}

// capitals reports whether name has a letter and no lower-case letter.
func capitals(name string) bool {
	return strings.ContainsAny(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") && strings.ToUpper(name) == name
}

var (
	assignRe = regexp.MustCompile(`(?:^|[;&|({` + "`" + `\n]|\b(?:then|do|else|export|local|readonly|declare|typeset)(?:\s+-\w+)*)\s*([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]]*\])?\+?=`)
	forRe    = regexp.MustCompile(`\b(?:for|select)\s+([A-Za-z_][A-Za-z0-9_]*)\b`)
	readRe   = regexp.MustCompile(`\b(?:read|getopts\s+\S+)\s+([^;&|\n]*)`)
)

// assignedNames are the names a script sets itself: NAME=… where a
// command starts (or after export, local…), for NAME, read [-opts] NAME…,
// getopts OPTS NAME. "echo C=$C" sets nothing.
func assignedNames(script string) map[string]bool {
	out := map[string]bool{}
	for _, re := range []*regexp.Regexp{assignRe, forRe} {
		for _, m := range re.FindAllStringSubmatch(script, -1) {
			out[m[1]] = true
		}
	}
	for _, m := range readRe.FindAllStringSubmatch(script, -1) {
		for _, w := range strings.Fields(m[1]) {
			if !strings.HasPrefix(w, "-") {
				out[w] = true
			}
		}
	}
	return out
}

// shellNames are variables the shell, the login or the terminal provide.
var shellNames = wordSet(`HOME PATH PWD OLDPWD USER LOGNAME SHELL TERM LANG LANGUAGE TZ
	TMPDIR HOSTNAME HOSTTYPE OSTYPE MACHTYPE UID EUID PPID RANDOM SRANDOM SECONDS LINENO IFS
	OPTARG OPTIND OPTERR BASH BASHPID BASHOPTS BASH_VERSION BASH_SOURCE BASH_REMATCH
	BASH_LINENO FUNCNAME PIPESTATUS REPLY SHLVL SHELLOPTS PS1 PS2 PS3 PS4 EDITOR VISUAL PAGER
	DISPLAY COLUMNS LINES MAIL GROUPS EPOCHSECONDS EPOCHREALTIME HISTFILE HOSTFILE MAILPATH
	SSH_CONNECTION SSH_CLIENT SSH_TTY SSH_AUTH_SOCK SUDO_USER SUDO_UID SUDO_GID COLORTERM
	NO_COLOR CDPATH ENV`)

// wordSet is the set of the words of s.
func wordSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(s) {
		out[w] = true
	}
	return out
}

// shellProvided reports whether the shell or the login sets name.
func shellProvided(name string) bool {
	return shellNames[name] || strings.HasPrefix(name, "LC_") || strings.HasPrefix(name, "XDG_")
}
