package runbook

import "errors"

// ErrNoStoredText is ParseStored's error for a session stored without its
// runbook's text.
var ErrNoStoredText = errors.New("no runbook text is stored with the session")

// storedPlaceholders are tried in turn for every ${VAR} when a stored
// runbook text is read again. Some fields check their value (a MySQL DSN
// must parse), so a DSN-shaped placeholder follows the plain ones.
var storedPlaceholders = []string{"", "placeholder", "placeholder:placeholder@tcp(placeholder:3306)/placeholder"}

// ParseStored parses the runbook text stored with a session again, for
// watch, replay and report. Variables get placeholders, never the
// environment's values: those only show the runbook, they never connect to
// anything, and the stored text holds the references, not the secrets.
// When no one placeholder fits every field (a URL and a MySQL DSN from
// variables), the text is read as lint reads it without the environment:
// every variable unset, its value unchecked. It returns the first
// placeholder's problem when neither way makes the text valid.
func ParseStored(path string, text []byte) (*Runbook, error) {
	if len(text) == 0 {
		return nil, ErrNoStoredText
	}
	var first error
	for _, p := range storedPlaceholders {
		env := func(string) (string, bool) { return p, true }
		rb, err := Parse(path, text, env)
		if err == nil {
			return rb, nil
		}
		if first == nil {
			first = err
		}
	}
	unset := func(string) (string, bool) { return "", false }
	if rb, _, err := ParseStructure(path, text, unset); err == nil {
		return rb, nil
	}
	return nil, first
}
