package runbook

import (
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Redacted replaces a secret wherever it would otherwise be shown or stored.
const Redacted = "***"

// shortSecret is the length under which a secret is masked only where it
// stands as a whole token: a one- or two-byte value ("42") is masked in
// "pin=42" or "42 rows" but not inside "1042" or "x42y", where masking would
// hide ordinary text without protecting anything.
const shortSecret = 3

// Redactor masks known secret values in text, in every form an error
// message, a JSON payload or a URL may write them: as written, quoted the
// Go way (%q), JSON-escaped, YAML-escaped and URL-encoded. The zero value
// and nil are usable and mask nothing.
type Redactor struct {
	mu      sync.RWMutex
	secrets []string          // as registered
	long    *strings.Replacer // forms of shortSecret bytes or more, longest first
	short   []string          // shorter forms, masked as whole tokens only
}

// Add registers secret values. A value shorter than 3 bytes is masked only
// where it stands as a whole token (not next to a letter or a digit);
// empty values are ignored.
func (r *Redactor) Add(values ...string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	added := false
	for _, v := range values {
		if v == "" || contains(r.secrets, v) {
			continue
		}
		r.secrets = append(r.secrets, v)
		added = true
	}
	if added {
		r.rebuild()
	}
}

// rebuild recomputes the masks from the secrets; r.mu is held.
func (r *Redactor) rebuild() {
	var long, short []string
	seen := map[string]bool{}
	for _, s := range r.secrets {
		for _, f := range secretForms(s) {
			if seen[f] {
				continue
			}
			seen[f] = true
			if len(f) >= shortSecret {
				long = append(long, f)
			} else {
				short = append(short, f)
			}
		}
	}
	// Longest first, so a secret containing another is masked whole.
	sort.SliceStable(long, func(i, j int) bool { return len(long[i]) > len(long[j]) })
	sort.SliceStable(short, func(i, j int) bool { return len(short[i]) > len(short[j]) })
	r.long = nil
	if len(long) > 0 {
		pairs := make([]string, 0, 2*len(long))
		for _, f := range long {
			pairs = append(pairs, f, Redacted)
		}
		r.long = strings.NewReplacer(pairs...)
	}
	r.short = short
}

// String masks every secret in s.
func (r *Redactor) String(s string) string {
	if r == nil {
		return s
	}
	r.mu.RLock()
	long, short := r.long, r.short
	r.mu.RUnlock()
	if long != nil {
		s = long.Replace(s)
	}
	for _, f := range short {
		s = maskTokens(s, f)
	}
	return s
}

// maskTokens masks f in s where it stands as a whole token: not next to a
// letter or a digit, nor part of a decimal number ("2.5" holds no token
// "2"). A number in JSON number position (after ':', ',' or '[' and before
// ',', '}' or ']') is left alone: it is a count, an attempt or a duration
// in an event's payload, whose type the mask would break, and a one- or
// two-digit value cannot be hidden among numbers anyway.
func maskTokens(s, f string) string {
	if !strings.Contains(s, f) {
		return s
	}
	var b strings.Builder
	done := 0
	for from := 0; ; {
		i := strings.Index(s[from:], f)
		if i < 0 {
			break
		}
		i += from
		from = i + len(f)
		if inWord(s, i, from) || jsonNumber(s, f, i, from) {
			continue
		}
		b.WriteString(s[done:i])
		b.WriteString(Redacted)
		done = from
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// inWord reports whether s[i:j] touches a letter or a digit, or a '.'
// that joins it to more digits.
func inWord(s string, i, j int) bool {
	before, n := utf8.DecodeLastRuneInString(s[:i])
	if i > 0 && (isWordRune(before) || before == '.' && i-n > 0 && isDigit(s[i-n-1])) {
		return true
	}
	after, _ := utf8.DecodeRuneInString(s[j:])
	return j < len(s) && (isWordRune(after) || after == '.' && j+1 < len(s) && isDigit(s[j+1]))
}

// jsonNumber reports whether s[i:j], all digits, stands where JSON writes
// a number (a '-' sign allowed).
func jsonNumber(s, f string, i, j int) bool {
	if strings.Trim(f, "0123456789") != "" || j >= len(s) || !strings.ContainsRune(",}]", rune(s[j])) {
		return false
	}
	if i > 0 && s[i-1] == '-' {
		i--
	}
	return i > 0 && strings.ContainsRune(":,[", rune(s[i-1]))
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// Error masks every secret in err's text; nil stays nil.
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	msg := r.String(err.Error())
	if msg == err.Error() {
		return err
	}
	return redactedError{msg: msg, err: err}
}

// Len is the number of secrets known.
func (r *Redactor) Len() int {
	if r == nil {
		return 0
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.secrets)
}

type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }

// Unwrap keeps errors.Is working for sentinels; the wrapped text is never printed.
func (e redactedError) Unwrap() error { return e.err }

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
