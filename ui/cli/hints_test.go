package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/session"
)

func TestHintsNameTheAuditLogWhenNotTheDefault(t *testing.T) {
	t.Chdir(t.TempDir())
	cwd, _ := os.Getwd()
	for _, c := range []struct{ got, want string }{
		{resumeHint("20261122-0331-7f3a", "runway.db"), "runway resume 20261122-0331-7f3a"},
		{resumeHint("20261122-0331-7f3a", filepath.Join(cwd, "runway.db")), "runway resume 20261122-0331-7f3a"},
		{resumeHint("20261122-0331-7f3a", "logs/a.db"), "runway resume --audit logs/a.db 20261122-0331-7f3a"},
		{resumeHint("x", "my logs/it's.db"), `runway resume --audit 'my logs/it'\''s.db' x`},
		{serveResumeHint("x", "runway.db", "team.yaml"), "runway serve --resume x --roster team.yaml"},
		{serveResumeHint("x", "/tmp/s.db", "team.yaml"), "runway serve --resume x --roster team.yaml --audit /tmp/s.db"},
		{demoHint("shop", "shop/runway.db", "shop/runway.db"), "runway demo --dir shop"},
		{demoHint("shop", filepath.Join(cwd, "shop", "runway.db"), "shop/runway.db"), "runway demo --dir shop"},
		{demoHint("shop", "runway.db", "shop/runway.db"), "runway demo --dir shop --audit runway.db"},
		{demoHint("shop", "elsewhere.db", "shop/runway.db"), "runway demo --dir shop --audit elsewhere.db"},
	} {
		if c.got != c.want {
			t.Errorf("got  %q\nwant %q", c.got, c.want)
		}
	}
}

const signRunbook = `
version: 1
name: sign
title: Waits for a sign-off
phases:
  - id: one
    title: One
    risk: low
    expected: 1h
    items:
      - {id: ok, title: OK, manual: {role: dba, expect: "fine"}}
`

// A run that ends before every phase passed prints the resume command with
// the audit log it used.
func TestRunHintContinuesWithTheSameLog(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeRunbook(t, dir, "sign.yaml", signRunbook)
	var out, errOut bytes.Buffer
	code := Execute([]string{"run", "sign.yaml", "--plain", "--audit", "logs.db"}, strings.NewReader(""), &out, &errOut)
	if code != ExitStopped {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errOut.String())
	}
	l, err := audit.OpenReadOnly("logs.db")
	if err != nil {
		t.Fatal(err)
	}
	info, err := l.LatestSession(context.Background())
	l.Close()
	if err != nil {
		t.Fatal(err)
	}
	want := "continue it with: runway resume --audit logs.db " + info.ID + "\n"
	if !strings.HasSuffix(errOut.String(), want) {
		t.Fatalf("stderr %q, want it to end with %q", errOut.String(), want)
	}
}

// runway resume refuses a session another live process on this host still
// drives, with exit status 2 and the way to watch it.
func TestResumeRefusesASessionDrivenElsewhere(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	file := writeRunbook(t, dir, "sign.yaml", signRunbook)
	rb, err := runbook.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "d.db")
	log, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := session.Start(context.Background(), log, rb, session.Options{Operator: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	driver := exec.Command("sleep", "30")
	if err := driver.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { driver.Process.Kill(); driver.Wait() })
	host, _ := os.Hostname()
	raw, _ := json.Marshal(event.ResumedPayload{Operator: "bob", Host: host, PID: driver.Process.Pid})
	if _, err := log.Append(audit.Event{Session: sess.ID(), Actor: "bob", Kind: event.KindSessionResumed, Payload: raw}); err != nil {
		t.Fatal(err)
	}
	log.Close()

	var out, errOut bytes.Buffer
	code := Execute([]string{"resume", "--plain", "--audit", path}, strings.NewReader(""), &out, &errOut)
	want := "runway: session " + sess.ID() + " is being driven by process " + strconv.Itoa(driver.Process.Pid) + " on host " + host +
		"; watch it with: runway watch --audit " + path + " " + sess.ID() + "\n"
	if code != ExitUsage || errOut.String() != want {
		t.Fatalf("exit %d, stderr %q\nwant %q", code, errOut.String(), want)
	}
	l, _ := audit.OpenReadOnly(path)
	events, _ := l.Events(context.Background(), sess.ID(), 0)
	l.Close()
	if last := events[len(events)-1]; last.Kind != event.KindSessionResumed || last.Actor != "bob" {
		t.Fatalf("the refused resume wrote %s by %s", last.Kind, last.Actor)
	}
}
