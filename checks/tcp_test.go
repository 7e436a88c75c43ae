package checks

import (
	"context"
	"net"
	"strings"
	"testing"

	"runway/runbook"
)

func TestTCP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	closed := closedPort(t)

	tests := []struct {
		address string
		passed  bool
		summary string // prefix
	}{
		{ln.Addr().String(), true, "connected to " + ln.Addr().String()},
		{closed, false, "cannot connect to " + closed + ": "},
	}
	for _, tt := range tests {
		chk, err := New(runbook.Spec{TCP: &runbook.TCP{Address: tt.address}})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		res := chk.Run(context.Background(), Env{})
		if res.Passed != tt.passed || !strings.HasPrefix(res.Summary, tt.summary) {
			t.Errorf("%s: got %v %q; want %v %q…", tt.address, res.Passed, res.Summary, tt.passed, tt.summary)
		}
	}
}

func TestTCPCancelled(t *testing.T) {
	chk, _ := New(runbook.Spec{TCP: &runbook.TCP{Address: closedPort(t)}})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if res := chk.Run(ctx, Env{}); res.Passed || res.Summary != "cancelled" {
		t.Fatalf("got %v %q", res.Passed, res.Summary)
	}
}

// closedPort is a local address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
