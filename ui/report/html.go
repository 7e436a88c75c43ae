package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
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
	"figures":   engineFigures,
	"comparing": comparing,
	"done":      containsInt,
	"inc":       func(i int) int { return i + 1 },
	"join":      strings.Join,
	"or":        orString,
	"lines":     func(s string) int { return strings.Count(strings.TrimRight(s, "\n"), "\n") + 1 },
}).Parse(htmlText))

// WriteHTML writes the report as one self-contained HTML file: inline CSS,
// no scripts, no external assets, readable on screen and on paper.
func (r *Report) WriteHTML(w io.Writer) error {
	if err := htmlTmpl.Execute(w, r); err != nil {
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
