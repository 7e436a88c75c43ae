package engine

import (
	"regexp"
	"strings"
)

// A column default, read from any engine's catalog, in the few forms that
// mean the same on every engine: a number, a text, or the current time.
// Anything else (a function call, an expression, a sequence) is kept as the
// source spells it, so that the plan can say it was not carried.

// DefaultKind says what a column default is.
type DefaultKind uint8

// Default kinds.
const (
	NoDefault     DefaultKind = iota
	DefaultNumber             // Value holds a decimal number
	DefaultText               // Value holds the text
	DefaultNow                // the current date and time
	DefaultOther              // an expression runway does not carry; Raw holds it
)

// Default is a column's default value.
type Default struct {
	Kind  DefaultKind
	Value string
	Raw   string // as the source's catalog spells it
	// OnUpdateNow: MySQL sets the column to the current time on every update.
	OnUpdateNow bool
	// Sequence: the source numbers new rows itself (AUTO_INCREMENT, serial,
	// identity), which a table created on another engine does not.
	Sequence bool
}

var (
	defaultNumberRE = regexp.MustCompile(`^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$`)
	defaultNowRE    = regexp.MustCompile(`(?i)^(current_timestamp|now|localtimestamp)(\(\s*[0-6]?\s*\))?$`)
	// pgCastRE is a trailing PostgreSQL cast: ::integer, ::character varying(10), ::"Mood"[]
	pgCastRE = regexp.MustCompile(`::("[^"]+"|[A-Za-z_][A-Za-z0-9_ .]*(\([0-9, ]+\))?)(\[\])?$`)
)

// parseDefault reads a default expression as a catalog prints it. unquote
// reads a whole quoted string literal in the engine's own escaping.
func parseDefault(raw string, unquote func(string) (string, bool)) Default {
	s := strings.TrimSpace(raw)
	d := Default{Raw: s}
	switch {
	case s == "" || strings.EqualFold(s, "NULL"):
		d.Kind = NoDefault
	case defaultNumberRE.MatchString(s):
		d.Kind, d.Value = DefaultNumber, s
	case defaultNowRE.MatchString(s):
		d.Kind = DefaultNow
	case strings.EqualFold(s, "true"), strings.EqualFold(s, "false"):
		d.Kind, d.Value = DefaultNumber, map[bool]string{true: "1", false: "0"}[strings.EqualFold(s, "true")]
	default:
		if text, ok := unquote(s); ok {
			d.Kind, d.Value = DefaultText, text
		} else {
			d.Kind = DefaultOther
		}
	}
	return d
}

// fitFamily settles a default against its column's family: a number kept
// as text by the catalog ('-1'::integer) is a number in a numeric column.
func (d Default) fitFamily(f Family) Default {
	if d.Kind == DefaultText && numeric(f) && defaultNumberRE.MatchString(strings.TrimSpace(d.Value)) {
		d.Kind, d.Value = DefaultNumber, strings.TrimSpace(d.Value)
	}
	return d
}

func numeric(f Family) bool {
	switch f {
	case FamInt, FamUint, FamFloat, FamDouble, FamDecimal, FamYear, FamBool:
		return true
	}
	return false
}

// unquoteSQL reads 'text' with quotes doubled inside, as PostgreSQL and
// SQLite print a string literal.
func unquoteSQL(s string) (string, bool) {
	if len(s) < 2 || s[0] != '\'' || s[len(s)-1] != '\'' {
		return "", false
	}
	in := s[1 : len(s)-1]
	if strings.Contains(strings.ReplaceAll(in, "''", ""), "'") {
		return "", false // two literals joined, not one
	}
	return strings.ReplaceAll(in, "''", "'"), true
}

// unquotePG reads a PostgreSQL literal with its casts taken off.
func unquotePG(s string) (string, bool) {
	for {
		t := pgCastRE.ReplaceAllString(s, "")
		if t == s {
			break
		}
		s = strings.TrimSpace(t)
	}
	return unquoteSQL(s)
}

// mysqlEscapes are the backslash sequences of a MySQL string literal.
var mysqlEscapes = map[byte]string{'0': "\x00", '\'': "'", '"': `"`, 'b': "\b", 'n': "\n",
	'r': "\r", 't': "\t", 'Z': "\x1a", '\\': `\`, '%': `\%`, '_': `\_`}

// unquoteMariaDB reads a string literal as MariaDB prints a column default:
// quotes doubled and backslash escapes.
func unquoteMariaDB(s string) (string, bool) {
	if len(s) < 2 || s[0] != '\'' || s[len(s)-1] != '\'' {
		return "", false
	}
	var b strings.Builder
	in := s[1 : len(s)-1]
	for i := 0; i < len(in); i++ {
		switch c := in[i]; {
		case c == '\\' && i+1 < len(in):
			i++
			if e, ok := mysqlEscapes[in[i]]; ok {
				b.WriteString(e)
			} else {
				b.WriteByte(in[i])
			}
		case c == '\'' && i+1 < len(in) && in[i+1] == '\'':
			i++
			b.WriteByte('\'')
		case c == '\'':
			return "", false
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}
