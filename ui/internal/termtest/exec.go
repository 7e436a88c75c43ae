package termtest

import (
	"errors"
	"os/exec"
	"syscall"
	"time"
)

// Start starts the command that newCmd returns, trying again while the
// kernel answers ETXTBSY: an executable written moments ago may still be
// held open for writing by a fork elsewhere in the test binary (between
// fork and exec every child holds the parent's descriptors). newCmd is
// called for every attempt, since an exec.Cmd starts only once; the
// command that started is returned.
func Start(newCmd func() *exec.Cmd) (*exec.Cmd, error) {
	deadline := time.Now().Add(time.Minute)
	for {
		cmd := newCmd()
		err := cmd.Start()
		if !errors.Is(err, syscall.ETXTBSY) || time.Now().After(deadline) {
			return cmd, err
		}
		time.Sleep(20 * time.Millisecond)
	}
}
