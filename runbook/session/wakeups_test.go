package session

import "testing"

func TestWakeupsCoalesceAndClose(t *testing.T) {
	var w Wakeups
	a, stopA := w.Subscribe()
	b, stopB := w.Subscribe()
	for range 3 {
		w.Notify() // never blocks, though nobody reads
	}
	if len(a) != 1 || len(b) != 1 {
		t.Fatalf("pending wake-ups: a %d, b %d; want one each", len(a), len(b))
	}
	<-a
	stopA()
	stopA() // a second stop does nothing
	if _, ok := <-a; ok {
		t.Fatal("a's channel still open after stop")
	}
	w.Notify() // a is gone: no send on its closed channel
	if _, ok := <-b; !ok {
		t.Fatal("b's channel closed by a's stop")
	}
	stopB()
}
