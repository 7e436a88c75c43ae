package runbook

import "strings"

// keywordPasswords finds the password of a libpq key=value DSN
// (host=h password='it\'s secret'), which runway refuses: the refusal must
// not leave the password readable elsewhere. It returns the value as
// written between the quotes and as unescaped.
func keywordPasswords(dsn string) []string {
	i := strings.Index(dsn, "password")
	for i > 0 && dsn[i-1] != ' ' && dsn[i-1] != '\t' {
		next := strings.Index(dsn[i+1:], "password")
		if next < 0 {
			return nil
		}
		i += 1 + next
	}
	if i < 0 {
		return nil
	}
	rest := strings.TrimLeft(dsn[i+len("password"):], " \t")
	rest, ok := strings.CutPrefix(rest, "=")
	if !ok {
		return nil
	}
	rest = strings.TrimLeft(rest, " \t")
	if !strings.HasPrefix(rest, "'") {
		raw, _, _ := strings.Cut(rest, " ")
		return []string{raw, unescapeKeyword(raw)}
	}
	raw := quotedKeyword(rest[1:])
	return []string{raw, unescapeKeyword(raw)}
}

// quotedKeyword is the text of a single-quoted libpq value up to its
// closing quote; a backslash escapes the next byte.
func quotedKeyword(s string) string {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '\'':
			return s[:i]
		}
	}
	return s
}

// unescapeKeyword drops the backslashes of a libpq value.
func unescapeKeyword(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
