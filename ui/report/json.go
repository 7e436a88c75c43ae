package report

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes the report as indented JSON: the Report value itself.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write JSON report: %w", err)
	}
	return nil
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
