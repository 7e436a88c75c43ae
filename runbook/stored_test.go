package runbook

import (
	"errors"
	"strings"
	"testing"
)

func TestParseStored(t *testing.T) {
	if _, err := ParseStored("x.yaml", nil); !errors.Is(err, ErrNoStoredText) {
		t.Errorf("no text: err = %v", err)
	}
	if _, err := ParseStored("x.yaml", []byte("version: 1\nname: [")); err == nil {
		t.Error("broken text parsed")
	}
	text := "version: 1\nname: n\ntitle: t\nconnections:\n  old: {driver: mysql, dsn: \"${OLD_DSN}\"}\n" +
		"phases:\n  - id: p\n    title: P\n    items:\n      - {id: i, title: I, sql: {conn: old, query: SELECT 1, expect: \"1\"}}\n"
	rb, err := ParseStored("x.yaml", []byte(text))
	if err != nil {
		t.Fatalf("a DSN from a variable: %v", err)
	}
	if dsn := rb.Connections[0].DSN; strings.Contains(dsn, "${") {
		t.Errorf("dsn %q kept its reference", dsn)
	}
}

// A runbook whose variables fill fields of different shapes (a MySQL DSN,
// a postgres:// URL, a webhook URL, plain text) is read again: watch,
// replay and report of a MySQL to PostgreSQL session show its phases.
func TestParseStoredMixedShapes(t *testing.T) {
	text := "version: 1\nname: n\ntitle: t\nconnections:\n" +
		"  old: {driver: mysql, dsn: \"${OLD_DSN}\"}\n  new: {driver: postgres, dsn: \"${NEW_PG_DSN}\"}\n" +
		"notify:\n  channels:\n    team: {type: webhook, url: \"${HOOK_URL}\", format: slack}\n" +
		"  routes:\n    - {events: [stop], channels: [team]}\n" +
		"phases:\n  - id: p\n    title: P\n    items:\n" +
		"      - {id: i, title: I, sql: {conn: old, query: SELECT 1, expect: \"1\"}}\n" +
		"      - {id: j, title: J, sql: {conn: new, query: SELECT 1, expect: \"1\"}}\n" +
		"      - {id: k, title: K, command: {run: \"ls ${DIR:-/tmp}\"}}\n"
	rb, err := ParseStored("x.yaml", []byte(text))
	if err != nil {
		t.Fatalf("mixed shapes: %v", err)
	}
	if len(rb.Phases) != 1 || len(rb.Phases[0].Items) != 3 {
		t.Errorf("phases %+v", rb.Phases)
	}
}
