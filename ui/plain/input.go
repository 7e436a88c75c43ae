package plain

import (
	"bufio"
	"context"
	"io"
	"strings"
)

// lines reads input lines in the background, so waiting for an answer never
// keeps the run from noticing a cancellation.
type lines struct {
	ch   chan string // closed at end of input
	echo func(string)
}

// newLines reads in; echo sees each answer as it is taken.
func newLines(in io.Reader, echo func(string)) *lines {
	l := &lines{ch: make(chan string), echo: echo}
	if in == nil {
		close(l.ch)
		return l
	}
	go func() {
		defer close(l.ch)
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			l.ch <- sc.Text()
		}
	}()
	return l
}

// read returns the next line, trimmed; errQuit at end of input; ctx's error
// when it ends first.
func (l *lines) read(ctx context.Context) (string, error) {
	select {
	case line, ok := <-l.ch:
		if !ok {
			return "", errQuit
		}
		line = strings.TrimSpace(line)
		if l.echo != nil {
			l.echo(line)
		}
		return line, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
