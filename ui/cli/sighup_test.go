package cli

import (
	"os"
	"os/signal"
	"syscall"
)

// Tests send SIGHUP to the runway they start and expect it to act on it. A
// test run started under nohup would hand its ignored SIGHUP on to that
// runway, which then keeps ignoring it, as asked. A caught signal is set
// back to its default on exec, so catching it here gives the runway under
// test the disposition a terminal gives it.
func init() { signal.Notify(make(chan os.Signal, 1), syscall.SIGHUP) }
