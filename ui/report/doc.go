// Package report builds the postmortem of a session from its audit log and
// writes it as Markdown, JSON or one self-contained HTML file. It is plain
// text generation with no terminal UI, so the command line, replay and tests
// all share it.
//
// Build reads a log and gives one Report value; the Markdown, HTML and JSON
// writers only render that value. The JSON form is the Report itself, with
// stable snake_case field names.
package report
