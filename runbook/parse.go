package runbook

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"runway/runbook/text"
)

// Load reads, expands and validates the runbook at path, taking ${VAR}
// values from the process environment. An invalid runbook returns Problems.
func Load(path string) (*Runbook, error) {
	text, size, err := readCapped(path)
	if err != nil {
		return nil, fmt.Errorf("read runbook: %w", err)
	}
	if len(text) > MaxSize {
		return nil, Problems{sizeProblem(path, size)}
	}
	return Parse(path, text, os.LookupEnv)
}

// readCapped reads a file, but never more than one byte past MaxSize: a
// runbook that large is refused anyway. size is the file's size as the
// system reports it, which a pipe does not (0).
func readCapped(path string) (text []byte, size int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
	}
	text, err = io.ReadAll(io.LimitReader(f, MaxSize+1))
	return text, size, err
}

// Parse validates a runbook's text. path names the file in problems and
// sets the folder relative SQLite paths and commands resolve from ("" means
// the current folder). env looks up ${VAR} values; nil means none are set.
// When the runbook is invalid the error is Problems, every problem found,
// sorted by position, with secrets masked; when it breaks a limit (size,
// nesting, alias expansion), that one problem only, as the rest would be
// its echoes.
func Parse(path string, text []byte, env func(string) (string, bool)) (*Runbook, error) {
	return parse(path, text, env, nil, nil)
}

// parse is Parse; with notes not nil, unset variables are notes there
// instead of problems (ParseStructure).
func parse(path string, text []byte, env func(string) (string, bool), notes, hints *Problems) (*Runbook, error) {
	file := path
	if file == "" {
		file = "runbook"
	}
	dir := "."
	if path != "" {
		dir = filepath.Dir(path)
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	if p := checkLimits(file, text); p != nil {
		return nil, Problems{*p}
	}
	rb := &Runbook{Path: path, Dir: dir, Text: text, Secrets: &Redactor{}}
	f, err := parseYAML(text)
	if err != nil {
		return nil, Problems{syntaxProblem(file, err)}
	}
	rec := newVarRecorder(env)
	d := &decoder{
		file:    file,
		env:     rec.lookup,
		secrets: rb.Secrets,
		dir:     dir,
		aliases: map[*ast.AliasNode]ast.Node{},
		itemIDs: map[string]Position{},
		conns:   map[string]string{},
		points:  map[string]Position{},
		chans:   map[string]*Channel{},
		notes:   notes,
		hints:   hints,
	}
	d.document(f, rb)
	rb.Vars = rec.vars()
	if d.limit != nil {
		d.probs = Problems{*d.limit}
	}
	if len(d.probs) == 0 {
		return rb, nil
	}
	for i := range d.probs {
		d.probs[i].Msg = rb.Secrets.String(d.probs[i].Msg)
	}
	probs := d.probs.dedup()
	probs.sort()
	return nil, probs
}

// parseYAML parses YAML into a syntax tree. Duplicate keys are allowed here
// because the decoder reports all of them, not just the first.
func parseYAML(text []byte) (f *ast.File, err error) {
	defer func() { // the parser is not ours: bad input must not crash the caller
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("YAML parser failed on this input: %v", r)
		}
	}()
	return parser.ParseBytes(text, 0, parser.AllowDuplicateMapKey())
}

// syntaxProblem condenses the parser's multi-line, source-quoting error into
// one problem at the offending token.
func syntaxProblem(file string, err error) Problem {
	var te interface {
		GetToken() *token.Token
		GetMessage() string
	}
	if errors.As(err, &te) {
		return Problem{File: file, Pos: tokenPos(te.GetToken()), Msg: "YAML syntax: " + text.OneLine(te.GetMessage())}
	}
	return Problem{File: file, Pos: Position{1, 1}, Msg: "YAML syntax: " + text.OneLine(err.Error())}
}
