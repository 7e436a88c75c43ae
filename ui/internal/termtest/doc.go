// Package termtest is the end-to-end test harness: the runway binary built
// once for a whole `go test` run, private tmux servers that tests type
// into and read back, and a buffer a test reads while another goroutine
// writes it.
//
// It lives under ui/internal so that only runway's own tests import it.
package termtest
