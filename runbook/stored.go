package runbook

import (
	"errors"
	"sort"
)

// ErrNoStoredText is ParseStored's error for a session stored without its
// runbook's text.
var ErrNoStoredText = errors.New("no runbook text is stored with the session")

// storedPlaceholders are the values tried for a ${VAR} when a stored
// runbook text is read again. Some fields check their value (a MySQL DSN
// must parse, a PostgreSQL one is a postgres:// URL, a webhook an http
// URL), so there is a placeholder of each shape.
var storedPlaceholders = []string{"", "placeholder", "placeholder:placeholder@tcp(placeholder:3306)/placeholder",
	"postgres://placeholder@placeholder:5432/placeholder", "http://placeholder.invalid/"}

// ParseStored parses the runbook text stored with a session again, for
// watch, replay and report. Variables get placeholders, never the
// environment's values: those only show the runbook, they never connect to
// anything, and the stored text holds the references, not the secrets.
// Each variable gets the placeholder its field accepts (one runbook may
// fill a MySQL DSN, a postgres:// URL and a webhook from variables). It
// returns the first placeholder's problem when no choice makes the text
// valid.
func ParseStored(path string, text []byte) (*Runbook, error) {
	if len(text) == 0 {
		return nil, ErrNoStoredText
	}
	var first error
	names := map[string]bool{}
	for _, p := range storedPlaceholders { // one shape for all: most runbooks
		env := func(name string) (string, bool) { names[name] = true; return p, true }
		rb, err := Parse(path, text, env)
		if err == nil {
			return rb, nil
		}
		if first == nil {
			first = err
		}
	}
	if rb := parsePerVariable(path, text, names); rb != nil {
		return rb, nil
	}
	return nil, first
}

// parsePerVariable picks each variable's placeholder in turn, keeping the
// one that leaves the fewest problems, until the text parses (nil if it
// never does).
func parsePerVariable(path string, text []byte, names map[string]bool) *Runbook {
	order := make([]string, 0, len(names))
	for n := range names {
		order = append(order, n)
	}
	sort.Strings(order)
	choice := map[string]string{}
	parse := func() (*Runbook, int) {
		rb, err := Parse(path, text, func(name string) (string, bool) { return choice[name], true })
		var ps Problems
		switch {
		case err == nil:
			return rb, 0
		case errors.As(err, &ps):
			return nil, len(ps)
		}
		return nil, int(^uint(0) >> 1)
	}
	for _, name := range order {
		best, fewest := "", -1
		for _, p := range storedPlaceholders {
			choice[name] = p
			rb, n := parse()
			if rb != nil {
				return rb
			}
			if fewest < 0 || n < fewest {
				best, fewest = p, n
			}
		}
		choice[name] = best
	}
	return nil
}
