package runbook

import (
	"fmt"
	"strings"
)

// expansion is the result of expanding ${VAR} references in one value.
type expansion struct {
	text     string
	secrets  []string // values that came from the environment
	problems []string // missing variables, malformed references
	vars     []string // with keepRefs: NAME=value for each variable referenced, once
	refs     int      // well-formed references seen
	unset    []string // variables referenced without a default and not set (also in problems)
}

// expand replaces ${VAR} and ${VAR:-default} in s. A variable that is set
// (even to "") wins over the default only when it is non-empty, as in the
// shell. "$${" writes a literal "${". Values from env are secrets; defaults
// written in the file are not.
func expand(s string, env func(string) (string, bool)) expansion {
	return scanRefs(s, env, false)
}

// shellRefs looks up the variables shell text references without pasting
// their values into it: the references stay for the shell to expand (it
// reads the same ${VAR} and ${VAR:-default} syntax), and vars carries the
// values for the process environment, so a value is data to the shell and
// never shell text. An escaped "$${" becomes "${", which the shell expands
// from its own environment, as it always did.
func shellRefs(s string, env func(string) (string, bool)) expansion {
	return scanRefs(s, env, true)
}

func scanRefs(s string, env func(string) (string, bool), keepRefs bool) expansion {
	if !strings.Contains(s, "${") {
		return expansion{text: s}
	}
	var (
		out  strings.Builder
		x    expansion
		seen = map[string]bool{}
	)
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			out.WriteString(s)
			break
		}
		if i > 0 && s[i-1] == '$' { // "$${" is an escaped "${"
			out.WriteString(s[:i-1])
			out.WriteString("${")
			s = s[i+2:]
			continue
		}
		out.WriteString(s[:i])
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			x.problems = append(x.problems, fmt.Sprintf("unterminated variable reference %q (write ${NAME} or ${NAME:-default})", s[i:]))
			break
		}
		ref := s[i+2 : i+end]
		s = s[i+end+1:]
		name, def, hasDefault := strings.Cut(ref, ":-")
		if !validVarName(name) {
			x.problems = append(x.problems, fmt.Sprintf("bad variable reference ${%s} (write ${NAME} or ${NAME:-default})", ref))
			continue
		}
		x.refs++
		val, set := "", false
		if env != nil {
			val, set = env(name)
		}
		if keepRefs {
			out.WriteString("${" + ref + "}")
			if !seen[name] {
				seen[name] = true
				// An unset variable is passed empty: the shell's ":-" then
				// takes the default, exactly as expand would.
				x.vars = append(x.vars, name+"="+val)
			}
		}
		switch {
		case set && val != "":
			if !keepRefs {
				out.WriteString(val)
			}
			x.secrets = append(x.secrets, val)
		case hasDefault:
			if !keepRefs {
				out.WriteString(def)
			}
		case !set:
			x.problems = append(x.problems, fmt.Sprintf("variable %s is not set (set it, or write ${%s:-default})", name, name))
			x.unset = append(x.unset, name)
		}
	}
	x.text = out.String()
	return x
}

// validVarName accepts shell variable names: a letter or underscore, then
// letters, digits and underscores.
func validVarName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_', c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
