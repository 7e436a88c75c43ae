package serve

import (
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"runway/runbook/audit"
	"runway/runbook/event"
)

// Keys typed on a terminal.
const (
	enter = "\r"
	ctrlG = "\x07"
	ctrlT = "\x14"
)

func TestUnknownKeyIsRefused(t *testing.T) {
	r := newRig(t)
	if _, err := r.dial("mallory", r.addr); err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("unknown key: %v, want an authentication failure", err)
	}
	// Passwords are not a way in either.
	_, err := gossh.Dial("tcp", r.addr, &gossh.ClientConfig{
		User: "alice", Auth: []gossh.AuthMethod{gossh.Password("alice")},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: deadline,
	})
	if err == nil {
		t.Fatal("a password login was accepted")
	}
	if log := r.out.String(); !strings.Contains(log, "refused key ssh-ed25519 SHA256:") || !strings.Contains(log, "(user mallory)") {
		t.Fatalf("server log does not name the refused key:\n%s", log)
	}
	// The host key was created, private to its owner, and is reused.
	fi, err := os.Stat(filepath.Join(r.dir, "keys", "host_key"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key: %v, mode %v", err, fi.Mode())
	}
}

func TestHostKeyIsKept(t *testing.T) {
	r := newRig(t)
	var first gossh.PublicKey
	cfg := func(seen *gossh.PublicKey) *gossh.ClientConfig {
		return &gossh.ClientConfig{
			User: "olive", Auth: []gossh.AuthMethod{gossh.PublicKeys(r.keys["olive"])}, Timeout: deadline,
			HostKeyCallback: func(_ string, _ net.Addr, key gossh.PublicKey) error { *seen = key; return nil },
		}
	}
	cl, err := gossh.Dial("tcp", r.addr, cfg(&first))
	if err != nil {
		t.Fatal(err)
	}
	cl.Close()
	// A second server on the same key file presents the same key.
	again, err := New(r.sess, Options{Listen: "127.0.0.1:0", HostKey: filepath.Join(r.dir, "keys", "host_key"), Roster: r.srv.opts.Roster})
	if err != nil {
		t.Fatal(err)
	}
	if err := again.Listen(); err != nil {
		t.Fatal(err)
	}
	go again.Serve()
	defer again.srv.Close()
	var second gossh.PublicKey
	cl, err = gossh.Dial("tcp", again.Addr().String(), cfg(&second))
	if err != nil {
		t.Fatal(err)
	}
	cl.Close()
	if string(first.Marshal()) != string(second.Marshal()) {
		t.Fatal("the host key changed between two servers on the same file")
	}
}

// The whole pairing flow over real SSH connections: roles, attribution,
// handover and take-back, and a two-person override approved from the
// approver's own connection.
func TestPairingOverSSH(t *testing.T) {
	r := newRig(t)
	alice := r.connect("alice")
	bob := r.connect("bob")
	carol := r.connect("carol")
	olive := r.connect("olive")
	alice.waitFor("here: alice, bob, carol")

	// The observer's attempt reaches the core, which refuses and records it.
	olive.press("R")
	olive.waitFor("olive is an observer")
	ref := r.waitEvent("olive's refusal", kindBy(event.KindActionRefused, "", "olive"))
	if p := payload[event.RefusedPayload](t, ref); p.Action != "run phase" {
		t.Fatalf("olive's refusal %+v", p)
	}
	// The driver can't act before being handed control: his console says
	// why from the core's own rule, without asking the core.
	bob.waitFor("control: alice · ask for it")
	bob.press("R")
	bob.waitFor("alice has control: ask them or a lead to hand it to bob")

	// The lead hands control to the driver.
	alice.press(ctrlG)
	alice.waitFor("hand control to: [bob (driver)]")
	alice.press(enter)
	h := r.waitEvent("the handover", kindBy(event.KindControlHanded, "", "alice"))
	if p := payload[event.ControlHandPayload](t, h); p.From != "alice" || p.To != "bob" {
		t.Fatalf("handover %+v", p)
	}
	bob.waitFor("◆ you have control")

	// The driver runs the phase; the critical item fails and holds it.
	bob.press("R")
	bob.waitFor("Yes, run phase one") // asked first, No chosen
	bob.press("\t")
	bob.press(enter)
	r.waitEvent("b failing", kindBy(event.KindItemFailed, "b", "bob"))
	bob.waitFor("STOPPED · one/b")
	bob.press("o")
	bob.waitFor("Override a failed critical item")
	bob.press("vendor confirmed" + enter)
	bob.waitFor("Yes, override b")
	bob.press("\t")
	bob.press(enter)
	req := r.waitEvent("the override request", kindBy(event.KindOverrideRequested, "b", "bob"))
	if p := payload[event.OverridePayload](t, req); p.RequestedBy != "bob" || p.Policy != "two-person" {
		t.Fatalf("request %+v", p)
	}
	// A driver doesn't approve overrides, his own least of all.
	bob.waitFor("requested by bob")
	bob.press("a")
	bob.waitFor("only an approver or a lead decides")

	// The approver confirms from their own connection.
	carol.waitFor("requested by bob") // the pending-override notice
	carol.press("a")
	carol.waitFor("Approve an override")
	carol.press("y")
	ok := r.waitEvent("the approval", kindBy(event.KindOverrideApproved, "b", "carol"))
	if p := payload[event.OverridePayload](t, ok); p.RequestedBy != "bob" || p.ApprovedBy != "carol" {
		t.Fatalf("approval %+v", p)
	}
	r.waitEvent("b overridden", kindBy(event.KindItemOverridden, "b", "carol"))

	// The lead takes control back; the driver is refused again.
	alice.press(ctrlT)
	back := r.waitEvent("the take-back", func(e audit.Event) bool {
		return e.Kind == event.KindControlHanded && e.Actor == "alice" && payload[event.ControlHandPayload](t, e).From == "bob"
	})
	if p := payload[event.ControlHandPayload](t, back); p.To != "alice" {
		t.Fatalf("take-back %+v", p)
	}
	bob.waitFor("control is now with alice")
	bob.press("R")
	bob.waitFor("alice has control")

	// Every event names who caused it; bob's work is his.
	byActor := map[string][]string{}
	for _, e := range r.events() {
		if e.Actor == "" {
			t.Fatalf("event %d %s names nobody", e.Seq, e.Kind)
		}
		byActor[e.Actor] = append(byActor[e.Actor], e.Kind+" "+e.Item)
		// What the approval did is carol's; everything else on a and b is bob's.
		want := "bob"
		switch e.Kind {
		case event.KindOverrideApproved, event.KindItemOverridden, event.KindStopCleared:
			want = "carol"
		}
		if (e.Item == "a" || e.Item == "b") && e.Actor != want {
			t.Fatalf("%s %s by %s, want %s", e.Kind, e.Item, e.Actor, want)
		}
	}
	for _, name := range []string{"alice", "bob", "carol", "olive"} {
		if len(byActor[name]) == 0 {
			t.Fatalf("no event by %s:\n%s", name, r.dump())
		}
	}
	if n := len(byActor["olive"]); n != 1 {
		t.Fatalf("olive caused %d events, want her one refusal: %v", n, byActor["olive"])
	}
	if st := r.sess.State(); st.Controller != "alice" || st.Pending != nil {
		t.Fatalf("controller %q, pending %+v", st.Controller, st.Pending)
	}
}

// Each participant's program has its own size and colours: one terminal
// without colour (NO_COLOR sent by the client), one with; a resize of one
// reaches no other.
func TestOwnTerminalPerParticipant(t *testing.T) {
	r := newRig(t)
	alice := r.connectWith("alice", r.addr, 80, 24, "xterm-256color", nil)
	olive := r.connectWith("olive", r.addr, 100, 30, "xterm-256color", map[string]string{"NO_COLOR": "1"})
	colour := regexp.MustCompile(`\x1b\[[0-9;]*m`)
	if !colour.MatchString(alice.raw.String()) {
		t.Fatal("alice's terminal got no colour")
	}
	for _, sgr := range colour.FindAllString(olive.raw.String(), -1) {
		if sgr != "\x1b[0m" && sgr != "\x1b[m" {
			t.Fatalf("olive sent NO_COLOR and got %q", sgr)
		}
	}
	// Her status row is row 29 of 30; alice's is row 23 of 24.
	if rows := strings.Split(olive.scr.text(), "\n"); !strings.HasPrefix(rows[28], "⇄ olive") {
		t.Fatalf("olive's screen at 100×30:\n%s", olive.scr.text())
	}
	if err := olive.ss.WindowChange(40, 120); err != nil {
		t.Fatal(err)
	}
	alice.press("n") // a dialog for alice to draw after olive's resize
	alice.waitFor("Add a note")
	if rows := strings.Split(alice.scr.text(), "\n"); len(rows) != 24 || !strings.HasPrefix(rows[0], "runway · ") || !strings.HasPrefix(rows[23], "enter record") {
		t.Fatalf("alice's screen after olive's resize:\n%s", alice.scr.text())
	}
}
