package session

import (
	"errors"
	"strings"
	"testing"
	"time"

	"runway/runbook"
	"runway/runbook/event"
)

// guardFrom reads one guard from a runbook text, as lint would.
func guardFrom(t *testing.T, guard string) runbook.Guard {
	t.Helper()
	text := "version: 1\nname: g\nguards:\n  - " + guard + "\nphases:\n  - {id: p, title: P, items: [{id: a, title: A, manual: {}}]}\n"
	rb, err := runbook.Parse("g.yaml", []byte(text), nil)
	if err != nil {
		t.Fatal(err)
	}
	return rb.Guards[0]
}

// feed gives the guard one sample per 10 s and returns the states after each.
func feed(e *guardEval, values ...string) []string {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var out []string
	for _, v := range values {
		var err error
		if v == "ERR" {
			err = errors.New("server down")
		}
		out = append(out, e.observe(at, v, err).to)
		at = at.Add(10 * time.Second)
	}
	return out
}

func TestGuardEvalStates(t *testing.T) {
	cases := []struct {
		name, guard string
		values      string
		want        string
	}{
		{"for 3 needs three in a row", `{id: g, title: G, tcp: {address: "h:1"}, every: 10s, for: 3, critical: "> 5"}`,
			"9 9 1 9 9 9 1", "ok ok ok ok ok critical ok"},
		{"warn then critical", `{id: g, title: G, tcp: {address: "h:1"}, every: 10s, warn: "> 1", critical: "> 5"}`,
			"0 2 6 2 0", "ok warn critical warn ok"},
		{"errors fail closed", `{id: g, title: G, tcp: {address: "h:1"}, every: 10s, for: 2, critical: "> 5"}`,
			"0 ERR ERR 0", "ok error critical ok"},
		{"a word is no number", `{id: g, title: G, tcp: {address: "h:1"}, every: 10s, critical: "> 5"}`,
			"0 lots", "ok critical"},
		{"delta over a window", `{id: g, title: G, tcp: {address: "h:1"}, every: 10s, critical: {delta: "> 10", window: 30s}}`,
			"100 105 108 112 130 131 131 131", "ok ok ok critical critical critical critical ok"},
		{"rate per second", `{id: g, title: G, tcp: {address: "h:1"}, every: 10s, warn: {rate: ">= 2", window: 15s}}`,
			"0 10 30 40 45", "ok ok warn ok ok"},
		{"all needs every condition", `{id: g, title: G, tcp: {address: "h:1"}, every: 10s, critical: {all: ["> 5", "< 100"]}}`,
			"6 200 50 1", "critical ok critical ok"},
		{"any needs one", `{id: g, title: G, tcp: {address: "h:1"}, every: 10s, critical: {any: ["< 0", "> 100"]}}`,
			"6 200 50 -1", "ok critical ok critical"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := feed(newGuardEval(guardFrom(t, c.guard)), strings.Fields(c.values)...)
			if strings.Join(got, " ") != c.want {
				t.Errorf("states %q, want %q", strings.Join(got, " "), c.want)
			}
		})
	}
}

func TestGuardEvalVerdict(t *testing.T) {
	e := newGuardEval(guardFrom(t, `{id: g, title: G, tcp: {address: "h:1"}, every: 10s, for: 2, critical: "> 0.05"}`))
	feed(e, "0.01", "0.2")
	v := e.observe(time.Date(2026, 1, 1, 0, 1, 0, 0, time.UTC), "0.3", nil)
	if !v.changed || v.from != event.GuardOK || v.to != event.GuardCritical || v.value != "0.3" || v.threshold != "> 0.05" || v.count != 2 {
		t.Errorf("verdict = %+v", v)
	}
}
