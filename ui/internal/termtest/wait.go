package termtest

import (
	"fmt"
	"regexp"
	"sync/atomic"
	"time"
)

// pollEvery is how often a wait reads the screen again. The deadline, not
// the period, bounds a wait: a loaded machine only makes a test slower.
const pollEvery = 50 * time.Millisecond

// WaitFor reads the pane's screen until pattern (a regexp) matches, and
// returns the screen that matched; when within passes first, it fails the
// test showing the last screen.
func (p *Pane) WaitFor(pattern string, within time.Duration) string {
	p.s.t.Helper()
	re := regexp.MustCompile(pattern)
	deadline := time.Now().Add(within)
	for {
		s := p.Screen()
		if re.MatchString(s) {
			return s
		}
		if time.Now().After(deadline) {
			p.s.t.Fatalf("after %s pane %s does not match %q:\n%s", within, p.target, pattern, s)
		}
		time.Sleep(pollEvery)
	}
}

var markSeq atomic.Int64

// Clear empties the pane's screen and waits until it shows only a marker
// unique to this call and the prompt. Nothing printed before can then match
// a later wait, and the wait cannot pass early on a screen that was already
// empty before the shell ran the clear: the marker is printed after it.
// The typed line spells the marker differently from its output, so the
// echo of the typing never matches.
func (p *Pane) Clear() {
	p.s.t.Helper()
	n := markSeq.Add(1)
	p.Shell(fmt.Sprintf("clear; printf '%%s-%%d\\n' runway-mark %d", n))
	p.WaitFor(fmt.Sprintf(`\Arunway-mark-%d\n\$ *\n\s*\z`, n), 30*time.Second)
}
