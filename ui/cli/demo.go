package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dustin/go-humanize"

	"github.com/spf13/cobra"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/fold"
	"runway/runbook/session"
	"runway/runbooks"
	"runway/runbooks/demo"
	"runway/ui/inert"
)

// demoOptions are `runway demo`'s own flags.
type demoOptions struct {
	dir       string
	rebuild   bool
	plain     bool
	buildOnly bool
	metrics   *metricsFlags // nil: none
}

const demoLong = `Build a self-contained demo and open the console on it: no server, no network.

The folder (./runway-demo by default) gets legacy.db, a SQLite database with a
shop's merchants, users and orders (amounts, statuses, timestamps, notes,
blobs, NULLs) and a change log fed by triggers; demo.yaml, the five-phase
runbook you can read and edit; runway.db, the audit log (unless --audit is
given); and new.db once the copy starts. While the session runs, a background
writer keeps changing legacy orders (about 30 changes a second) until the
cut-over step creates READONLY, so the catch-up has live work to chase.

Running it again:
  - an unfinished demo session in the folder is resumed, writer included;
  - otherwise the data, new.db and the audit log are rebuilt from scratch,
    keeping demo.yaml if you edited it;
  - --rebuild always starts over with the shipped demo.yaml.
A folder that holds other files and no demo is never touched, and a folder
another runway demo is using is refused (exit 2) before anything is built.

When the session ends, its outcome, its anchor and the command for its report
are printed. Exit statuses as for run: 0 every phase passed (also "passed with
N warnings" when non-critical items failed), 1 stopped or not finished.`

// newDemo is `runway demo`: build the demo folder and drive its runbook.
func newDemo(g *Globals, s IO) *cobra.Command {
	o := demoOptions{dir: demo.DefaultDir}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Build a self-contained SQLite demo and open the console on its five-phase runbook",
		Long:  demoLong,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			auditPath := demo.At(o.dir).Audit
			if cmd.Flags().Changed("audit") {
				auditPath = g.Audit
			}
			return runDemo(cmd.Context(), g, s, o, auditPath)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.dir, "dir", o.dir, "folder the demo is built in")
	f.BoolVar(&o.rebuild, "rebuild", false, "start over: rebuild everything, the shipped demo.yaml included")
	f.BoolVar(&o.plain, "plain", false, "print one line per event even on a terminal")
	f.BoolVar(&o.buildOnly, "build-only", false, "build the folder and stop, to read or edit demo.yaml first")
	o.metrics = &metricsFlags{}
	o.metrics.add(cmd, s)
	return cmd
}

func runDemo(ctx context.Context, g *Globals, s IO, o demoOptions, auditPath string) error {
	if ctx == nil {
		ctx = context.Background()
	}
	dir, err := filepath.Abs(o.dir)
	if err != nil {
		return withCode(ExitUsage, fmt.Errorf("demo folder %s: %w", o.dir, err))
	}
	l := demo.At(dir)
	g.Audit = auditPath
	lock, err := l.Lock()
	if err != nil {
		return withCode(ExitUsage, err)
	}
	defer lock.Release()
	if pid, running := l.RunningWriter(); running {
		return exitf(ExitUsage, "a demo session is open in %s (process %d): finish or quit it first, or choose another --dir", o.dir, pid)
	}

	if !o.rebuild && !o.buildOnly {
		if id, ok := unfinishedDemo(ctx, l, auditPath); ok {
			fmt.Fprintf(s.Out, "Resuming the unfinished demo session %s in %s (runway demo --rebuild starts over).\n", id, o.dir)
			return resumeDemo(ctx, g, s, o, l, id)
		}
	}
	if err := buildDemo(ctx, s, o, l); err != nil {
		return err
	}
	if o.buildOnly {
		fmt.Fprintf(s.Out, "Read or edit %s, then: runway demo --dir %s\n", filepath.Join(o.dir, demo.RunbookFile), o.dir)
		return nil
	}
	rb, err := runbook.Load(l.Runbook)
	if err != nil {
		return invalidRunbook(s, l.Runbook, err)
	}
	log, err := audit.Open(auditPath)
	if err != nil {
		return auditFailure(auditPath, err)
	}
	defer log.Close()
	absorbHangups() // a hang-up from here on cannot kill runway between two events
	sess, err := session.Start(ctx, log, rb, sessionOptions(g))
	if err != nil {
		return auditFailure(auditPath, err)
	}
	return driveDemo(sess, g, s, o, l)
}

// buildDemo builds the folder, keeping an edited demo.yaml unless asked to
// start over.
func buildDemo(ctx context.Context, s IO, o demoOptions, l demo.Layout) error {
	shipped, err := runbooks.FS.ReadFile(demo.RunbookFile)
	if err != nil {
		return fmt.Errorf("demo runbook missing from this build: %w", err)
	}
	text := shipped
	if !o.rebuild && l.Exists() {
		if own, err := os.ReadFile(l.Runbook); err == nil && !bytes.Equal(own, shipped) {
			text = own
			fmt.Fprintf(s.Out, "Keeping your edited %s (runway demo --rebuild restores the shipped one).\n", filepath.Join(o.dir, demo.RunbookFile))
		}
	}
	shape := demo.DefaultShape
	if err := demo.Build(ctx, l, shape, text); err != nil {
		return withCode(ExitUsage, fmt.Errorf("build demo: %w", err))
	}
	fmt.Fprintf(s.Out, "Built %s: legacy.db with %d merchants (%d in the pilot), %d users, %d orders; demo.yaml; audit log %s.\n",
		o.dir, shape.Merchants, shape.Merchants/5, shape.Users, shape.Orders, demo.AuditFile)
	return nil
}

// unfinishedDemo finds the latest session of the folder's runbook in the
// audit log, if it has not passed every phase and its data is still there.
func unfinishedDemo(ctx context.Context, l demo.Layout, auditPath string) (string, bool) {
	if !l.Exists() {
		return "", false
	}
	for _, p := range []string{auditPath, l.Legacy} {
		if _, err := os.Stat(p); err != nil {
			return "", false
		}
	}
	log, err := audit.OpenReadOnly(auditPath)
	if err != nil {
		return "", false
	}
	defer log.Close()
	info, err := log.LatestSession(ctx)
	if err != nil || filepath.Clean(info.RunbookPath) != filepath.Clean(l.Runbook) {
		return "", false
	}
	rb, err := runbook.Parse(info.RunbookPath, info.RunbookText, nil)
	if err != nil {
		return "", false
	}
	events, err := log.Events(ctx, info.ID, 0)
	if err != nil {
		return "", false
	}
	st := fold.Fold(rb, events)
	if st.AllPassed() {
		return "", false
	}
	return info.ID, true
}

// resumeDemo continues an unfinished demo session, writer included.
func resumeDemo(ctx context.Context, g *Globals, s IO, o demoOptions, l demo.Layout, id string) error {
	log, err := audit.Open(g.Audit)
	if err != nil {
		return auditFailure(g.Audit, err)
	}
	defer log.Close()
	absorbHangups() // a hang-up from here on cannot kill runway between two events
	sess, err := session.Resume(ctx, log, id, sessionOptions(g))
	if err != nil {
		return notResumed(g, s, "the demo session's runbook", err)
	}
	return driveDemo(sess, g, s, o, l)
}

// driveDemo runs the session with the background writer alongside it: the
// writer starts with the session and stops when the session ends.
func driveDemo(sess *session.Session, g *Globals, s IO, o demoOptions, l demo.Layout) error {
	w, err := demo.StartWriter(l, demo.DefaultRate, demo.DefaultShape.Seed)
	if err != nil {
		sess.Close(context.Background())
		return withCode(ExitStopped, fmt.Errorf("start the demo's background writer: %w", err))
	}
	defer o.metrics.serve(sess)()
	err = drive(sess, g, s, o.plain)
	stats := w.Stop()
	if stats.Err != nil {
		fmt.Fprintf(s.Err, "runway: the demo's background writer stopped early: %s\n", inert.Line(stats.Err.Error()))
	}
	var ee *ExitError
	switch {
	case err == nil:
		fmt.Fprintf(s.Out, "Demo finished: the shop's writer made %s changes during the session. Replay it with: runway replay --audit %s\n",
			humanize.Comma(int64(stats.Changes())), g.Audit)
	case errors.As(err, &ee) && ee.Code == ExitStopped:
		// The demo's own way back in: its audit log is not ./runway.db, and
		// `runway demo` resumes with the background writer running again.
		why := fmt.Sprintf("demo session %s stopped before every phase passed", sess.ID())
		if st := sess.State(); st.Stop != nil {
			why = fmt.Sprintf("demo session %s stopped: %s", sess.ID(), st.Stop.Reason)
		}
		return &ExitError{Code: ExitStopped, Err: fmt.Errorf("%s; continue it with: %s",
			sess.Redact(why), demoHint(o.dir, g.Audit, demo.At(o.dir).Audit))}
	}
	return err
}
