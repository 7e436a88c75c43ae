package audit

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const secret = "s3cr3t-pw"

func mask(s string) string { return strings.ReplaceAll(s, secret, "***") }

func TestSecretNeverReachesTheFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "runway.db")
	l, err := openQuiet(path)
	if err != nil {
		t.Fatal(err)
	}
	l.SetRedactor(mask)
	// The runbook text is stored as written: it holds ${VAR} references,
	// never their values, so the runbook that resumes is the one that ran.
	text := "connections:\n  legacy: {driver: mysql, dsn: \"root:${PW}@tcp(db:3306)/orders\"}\n"
	s, err := l.CreateSession(SessionInfo{
		Runbook:      "orders-split",
		RunbookText:  []byte(text),
		Operator:     "alice",
		Fingerprints: map[string]string{"PW": "0f0f"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if string(s.RunbookText) != text || s.RunbookSHA != sha256Hex(s.RunbookText) {
		t.Errorf("session text changed before hashing: %q", s.RunbookText)
	}
	payloads := []string{
		`{"output":"mysql -p` + secret + ` failed"}`,
		`{"dsn":"root:` + secret + `@tcp(db)/x","nested":{"list":["` + secret + `"]}}`,
		// JSON escapes hide the secret from a plain text replace.
		`{"escaped":"s3cr3t\u002dpw","html":"\u0073` + secret[1:] + `"}`,
		`{"` + secret + `":1}`,
	}
	for _, p := range payloads {
		e, err := l.Append(Event{Session: s.ID, Actor: "alice", Kind: "item.failed", Payload: json.RawMessage(p)})
		if err != nil {
			t.Fatalf("Append %s: %v", p, err)
		}
		if strings.Contains(decoded(t, e.Payload), secret) {
			t.Errorf("payload %s stored as %s", p, e.Payload)
		}
	}
	batch := []Event{{Session: s.ID, Actor: "engine", Kind: "engine.progress", Payload: json.RawMessage(`{"err":"` + secret + `"}`)}}
	if _, err := l.AppendBatch(batch); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, ent := range entries {
		b, err := os.ReadFile(filepath.Join(dir, ent.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), secret) {
			t.Errorf("%s holds the secret", ent.Name())
		}
		if !strings.Contains(string(b), "***") && ent.Name() == "runway.db" {
			t.Errorf("%s holds no masked text: the test wrote nothing", ent.Name())
		}
	}
	if rep := mustVerify(t, path); !rep.OK || rep.Events != 6 {
		t.Errorf("Verify = %+v", rep)
	}
}

// TestSecretNotInWAL checks the WAL of a log still open, before any
// checkpoint folds it into the main file.
func TestSecretNotInWAL(t *testing.T) {
	l, path := newLog(t)
	l.SetRedactor(mask)
	s := newSession(t, l)
	if _, err := l.Append(Event{Session: s.ID, Actor: "a", Kind: "note", Payload: json.RawMessage(`{"text":"` + secret + `"}`)}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `{"text":"***"}`) {
		t.Fatal("the WAL does not hold the event: the test looks in the wrong place")
	}
	if strings.Contains(string(b), secret) {
		t.Error("the WAL holds the secret")
	}
}

func TestRedactPayloadKeepsJSONValid(t *testing.T) {
	fn := func(s string) string { return strings.ReplaceAll(s, "12345", "***") }
	for in, want := range map[string]string{
		`{"pin":12345}`:           `{"pin":"***"}`,
		`{"a":"x12345y"}`:         `{"a":"x***y"}`,
		`{"a":"\u0031\u0032345"}`: `{"a":"***"}`,
		`{"a":"plain"}`:           `{"a":"plain"}`,
		`{"a":"tab\there"}`:       `{"a":"tab\there"}`,
	} {
		got, err := redactPayload(fn, []byte(in))
		if err != nil || got != want {
			t.Errorf("redact %s = %s, %v; want %s", in, got, err, want)
		}
	}
}

func decoded(t *testing.T, p json.RawMessage) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(p, &v); err != nil {
		t.Fatalf("stored payload %s is not JSON: %v", p, err)
	}
	b, _ := json.Marshal(v)
	return string(b) + string(p)
}
