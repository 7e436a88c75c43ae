package checks

import "regexp"

// pattern is an expected-output regular expression. ^ and $ match at line
// breaks, as operators expect when they write `^ready$` against output.
type pattern struct {
	text string // as written in the runbook, for summaries
	re   *regexp.Regexp
}

func compilePattern(text string) (*pattern, error) {
	re, err := regexp.Compile("(?m)" + text)
	if err != nil {
		return nil, err
	}
	return &pattern{text: text, re: re}, nil
}

func (p *pattern) match(s string) bool { return p.re.MatchString(s) }

// String is the pattern as written.
func (p *pattern) String() string { return p.text }
