package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"runway/ui/inert"
)

//go:embed report.html.tmpl
var htmlText string

// htmlTmpl is parsed once; html/template escapes every value it writes.
var htmlTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"stamp":     Stamp,
	"clock":     Clock,
	"elapsed":   Elapsed,
	"mark":      Mark,
	"icon":      icon,
	"tone":      Tone,
	"count":     func(n any) string { return Count(toInt64(n)) },
	"actual":    actual,
	"short":     short,
	"attempts":  attempts,
	"rate":      Rate,
	"percent":   Percent,
	"secs":      secs,
	"diff":      diffText,
	"where":     where,
	"builds":    buildsText,
	"figures":   engineFigures,
	"comparing": comparing,
	"plan":      planText,
	"done":      containsInt,
	"inc":       func(i int) int { return i + 1 },
	"join":      strings.Join,
	"or":        orString,
	"lines":     func(s string) int { return strings.Count(strings.TrimRight(s, "\n"), "\n") + 1 },
}).Parse(htmlText))

// WriteHTML writes the report as one self-contained HTML file: inline CSS,
// no scripts, no external assets, readable on screen and on paper.
func (r *Report) WriteHTML(w io.Writer) error {
	var doc strings.Builder
	if err := htmlTmpl.Execute(&doc, r); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	// html/template escapes markup but lets control characters and bidi
	// overrides through: a report read with cat could drive the terminal,
	// and a browser would reorder text. They are shown as visible escapes.
	if _, err := io.WriteString(w, inert.Text(doc.String())); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	return nil
}

func toInt64(n any) int64 {
	switch v := n.(type) {
	case int:
		return int64(v)
	case int64:
		return v
	}
	return 0
}
