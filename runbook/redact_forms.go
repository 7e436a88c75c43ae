package runbook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// secretForms is every way s may be written in text runway or a library
// produces: as is; inside a Go quoted string (%q, %+q, strconv.Quote); inside
// a JSON string (with and without HTML escaping); inside a YAML
// double-quoted string; URL-encoded as a query value or a path segment. An
// error that quotes a value would otherwise show a secret holding '"', '\'
// or a tab escaped, past a mask that matches only the exact bytes.
func secretForms(s string) []string {
	forms := []string{
		s,
		quoteInner(strconv.Quote(s)),
		quoteInner(strconv.QuoteToASCII(s)),
		quoteInner(strconv.QuoteToGraphic(s)),
		jsonInner(s, true),
		jsonInner(s, false),
		yamlInner(s),
		url.QueryEscape(s),
		url.PathEscape(s),
	}
	out := forms[:0]
	for _, f := range forms {
		if f != "" && !contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// quoteInner drops the quotes around a quoted string.
func quoteInner(q string) string {
	if len(q) >= 2 {
		return q[1 : len(q)-1]
	}
	return q
}

// jsonInner is s as it appears inside a JSON string.
func jsonInner(s string, escapeHTML bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	if err := enc.Encode(s); err != nil {
		return s
	}
	return quoteInner(strings.TrimRight(b.String(), "\n"))
}

// yamlInner is s as a YAML double-quoted string writes it (YAML 1.2 escapes).
func yamlInner(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case 0:
			b.WriteString(`\0`)
		case '\a':
			b.WriteString(`\a`)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\v':
			b.WriteString(`\v`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		case 0x1b:
			b.WriteString(`\e`)
		case 0x85:
			b.WriteString(`\N`)
		case 0xa0:
			b.WriteString(`\_`)
		case 0x2028:
			b.WriteString(`\L`)
		case 0x2029:
			b.WriteString(`\P`)
		case utf8.RuneError:
			b.WriteString(`\uFFFD`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\x%02X`, r)
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}
