// Package termtest is the end-to-end test harness: the runway binary built
// once for a whole `go test` run, and private tmux servers that tests type
// into and read back.
//
// It lives under ui/internal so that only runway's own tests import it.
package termtest
