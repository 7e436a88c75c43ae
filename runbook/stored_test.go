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
