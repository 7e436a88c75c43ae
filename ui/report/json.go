package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf8"

	"runway/ui/inert"
)

// WriteJSON writes the report as indented JSON: the Report value itself.
// Every value reads back exactly; the characters that encoding/json leaves
// raw but a terminal would act on (DEL, C1 controls, bidi overrides) are
// written as \u escapes, so the JSON is safe to print too.
func (r *Report) WriteJSON(w io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write JSON report: %w", err)
	}
	if _, err := w.Write(escapeQuiet(buf.Bytes())); err != nil {
		return fmt.Errorf("write JSON report: %w", err)
	}
	return nil
}

// escapeQuiet writes DEL, C1 controls and bidi controls in encoded JSON as
// \uXXXX. They can only occur inside strings (JSON's own syntax is ASCII),
// where the escape means the same character.
func escapeQuiet(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == 0x7f || r >= 0x80 && r <= 0x9f || inert.Hidden(r) {
			if out == nil {
				out = append(make([]byte, 0, len(b)+16), b[:i]...)
			}
			out = fmt.Appendf(out, `\u%04x`, r)
		} else if out != nil {
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	if out == nil {
		return b
	}
	return out
}

// Formats are the output formats Write knows.
var Formats = []string{"md", "json", "html"}

// Write writes the report in a format: md, json or html.
func (r *Report) Write(w io.Writer, format string) error {
	switch format {
	case "md", "markdown":
		return r.WriteMarkdown(w)
	case "json":
		return r.WriteJSON(w)
	case "html":
		return r.WriteHTML(w)
	}
	return fmt.Errorf("unknown report format %q (use md, json or html)", format)
}
