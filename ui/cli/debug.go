package cli

import (
	"io"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"runway/runbook/dlog"
)

// debugEnv names the file of the debug log when --debug is not given.
const debugEnv = "RUNWAY_DEBUG"

// debugLog is the --debug file of one command line: opened before the
// subcommand runs, its logger put in the command's context (every session,
// check and engine run is given it), closed when the command ends. The
// command's arguments are not logged: a URL among them may hold a password.
type debugLog struct {
	path  string
	log   *slog.Logger
	file  io.Closer
	start time.Time
}

// open opens the file, when one is named, for the command about to run.
func (d *debugLog) open(cmd *cobra.Command) error {
	if d.path == "" {
		return nil
	}
	l, f, err := dlog.Open(d.path)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	d.log, d.file, d.start = l, f, time.Now()
	cmd.SetContext(dlog.With(cmd.Context(), l))
	l.Debug("runway.start", "command", cmd.CommandPath())
	return nil
}

// close records how the command ended and closes the file.
func (d *debugLog) close(code int) {
	if d.file == nil {
		return
	}
	d.log.Debug("runway.end", "exit", code, "ms", time.Since(d.start).Milliseconds())
	d.file.Close()
}
