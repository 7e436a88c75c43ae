package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	gossh "golang.org/x/crypto/ssh"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/session"
	"runway/ui/inert"
	"runway/ui/serve"
)

// newServe is `runway serve [RUNBOOK] --roster FILE`: pairing over SSH.
func newServe(g *Globals, s IO) *cobra.Command {
	var rosterPath, listen, hostKey, resume string
	var lim serveLimits
	var mf metricsFlags
	cmd := &cobra.Command{
		Use:   "serve [RUNBOOK] --roster FILE",
		Short: "Serve a session's console over SSH for pairing: everyone connects with ssh -p PORT HOST",
		Long: "Start a session on RUNBOOK (or continue one with --resume SESSION, \"latest\" for the latest) and\n" +
			"serve its console over SSH. Each participant connects with their own key and gets their own\n" +
			"console; the roster maps public keys to a name and a role (lead, driver, approver, observer),\n" +
			"and any other key is refused. The roster file is read again when it changes (a key added or\n" +
			"revoked counts from its next login; a file that does not read keeps the last good roster).\n" +
			"The lead connects like everyone else: this terminal prints who\n" +
			"comes and goes. The first lead in the roster holds control until handing it over (ctrl+g in\n" +
			"the console); a lead takes it back with ctrl+t. Roles are checked by the session itself.\n" +
			"Ctrl-C stops serving and closes the session; `runway resume` or `runway serve --resume` continues\n" +
			"it. Exit statuses as for run.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// The sessions live on when this terminal goes away: a hang-up
			// is absorbed, and lines written to a dead terminal fail quietly.
			absorbHangups()
			if (len(args) == 1) == (resume != "") {
				return exitf(ExitUsage, "serve: give a RUNBOOK to start a session or --resume SESSION to continue one (not both)")
			}
			if lim.loginTimeout <= 0 || lim.maxConns <= 0 || lim.idleTimeout < 0 {
				return exitf(ExitUsage, "serve: --login-timeout and --max-connections must be above 0, --idle-timeout 0 or more")
			}
			if rosterPath == "" {
				return exitf(ExitUsage, "serve: --roster FILE is required: it says whose keys may connect, and as what")
			}
			roster, err := serve.LoadRoster(rosterPath)
			if err != nil {
				return withCode(ExitUsage, err)
			}
			opts := sessionOptions(g)
			opts.Operator = roster.Lead().Name
			if f := cmd.Flag("operator"); f != nil && f.Changed {
				if p, ok := roster.Participant(g.Operator); !ok || p.Role != session.RoleLead {
					return exitf(ExitUsage, "serve: --operator %s is not a lead in %s", g.Operator, rosterPath)
				}
				opts.Operator = g.Operator
			}
			var rb *runbook.Runbook
			if len(args) == 1 {
				if rb, err = runbook.Load(args[0]); err != nil {
					return invalidRunbook(s, args[0], err)
				}
			}
			log, err := audit.Open(g.Audit)
			if err != nil {
				return auditFailure(g.Audit, err)
			}
			defer log.Close()
			sess, err := openServed(cmd.Context(), log, rb, resume, opts)
			if err != nil {
				return notResumed(g, s, "the session's runbook", err)
			}
			defer mf.serve(sess)()
			return serveSession(sess, roster, rosterPath, g, s, listen, hostKey, lim)
		},
	}
	cmd.Flags().StringVar(&rosterPath, "roster", "", "YAML file of participants: name, role and authorized_keys lines")
	cmd.Flags().StringVar(&listen, "listen", serve.DefaultListen, "address to listen on (this machine only by default)")
	cmd.Flags().StringVar(&hostKey, "host-key", serve.DefaultHostKey, "the server's SSH host key, created when missing")
	cmd.Flags().StringVar(&resume, "resume", "", "continue SESSION (\"latest\" for the latest) instead of starting one")
	cmd.Flags().DurationVar(&lim.loginTimeout, "login-timeout", serve.DefaultLoginTimeout, "close a connection that has not logged in by then")
	cmd.Flags().IntVar(&lim.maxConns, "max-connections", serve.DefaultMaxConnections, "connections open at once, logged in or not; more are refused")
	cmd.Flags().DurationVar(&lim.idleTimeout, "idle-timeout", 0, "close a connection silent both ways for that long (0: never)")
	mf.add(cmd, s)
	return cmd
}

// serveLimits are the connection limits of `runway serve`.
type serveLimits struct {
	loginTimeout, idleTimeout time.Duration
	maxConns                  int
}

// openServed starts a session on rb, or resumes the session id.
func openServed(ctx context.Context, log *audit.Log, rb *runbook.Runbook, id string, opts session.Options) (*session.Session, error) {
	if rb != nil {
		return session.Start(ctx, log, rb, opts)
	}
	if id == "latest" {
		id = ""
	}
	return session.Resume(ctx, log, id, opts)
}

// serveSession serves sess until ctrl-c, SIGTERM or the end of the session,
// then closes the session and the connections and returns the exit status.
func serveSession(sess *session.Session, roster *serve.Roster, rosterPath string, g *Globals, s IO, listen, hostKey string, lim serveLimits) error {
	auditPath := g.Audit
	if abs, err := filepath.Abs(auditPath); err == nil {
		auditPath = abs
	}
	closeSession := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		return sess.Close(ctx)
	}
	srv, err := serve.New(sess, serve.Options{
		Listen: listen, HostKey: hostKey, Roster: roster, RosterFile: rosterPath, AuditPath: auditPath, Log: s.Err, NoMouse: g.NoMouse,
		LoginTimeout: lim.loginTimeout, MaxConnections: lim.maxConns, IdleTimeout: lim.idleTimeout,
	})
	if err == nil {
		err = srv.Listen()
	}
	if err != nil {
		if cerr := closeSession(); cerr != nil {
			return auditFailure(g.Audit, cerr)
		}
		return withCode(ExitUsage, err)
	}
	fmt.Fprintf(s.Out, "serving session %s (%s) on %s\n", sess.ID(), inert.Line(sess.Runbook().Name), srv.Addr())
	fmt.Fprintf(s.Out, "host key %s\n", gossh.FingerprintSHA256(srv.HostKey()))
	fmt.Fprintf(s.Out, "connect with: %s\n", sshCommand(srv.Addr()))
	fmt.Fprintf(s.Out, "%s holds control; ctrl-c stops serving and closes the session\n", inert.Line(sess.Operator()))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve() }()
	var serveErr error
	select {
	case <-ctx.Done():
	case <-sess.Done():
	case serveErr = <-served:
	}
	closeErr := closeSession()
	// Clients see the session end, then their programs quit and their
	// terminals are restored; a stalled one is cut off after a few seconds.
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shut)
	switch {
	case closeErr != nil:
		return auditFailure(g.Audit, closeErr)
	case serveErr != nil:
		return withCode(ExitUsage, serveErr)
	}
	switch consoleExit(sess.Err(), sess.State()) {
	case ExitOK:
		return nil
	case ExitAuditLog:
		return auditFailure(g.Audit, errors.New("the audit log could not be written"))
	}
	why := fmt.Sprintf("session %s stopped before every phase passed; continue it with: %s", sess.ID(), serveResumeHint(sess.ID(), g.Audit, rosterPath))
	if st := sess.State(); st.Stop != nil {
		why = fmt.Sprintf("session %s stopped: %s", sess.ID(), st.Stop.Reason)
	}
	return &ExitError{Code: ExitStopped, Err: errors.New(sess.Redact(why))}
}

// sshCommand is how a participant connects to addr.
func sshCommand(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "ssh " + addr.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		if name, err := os.Hostname(); err == nil {
			host = name
		}
	}
	if port == "22" {
		return "ssh " + host
	}
	return "ssh -p " + port + " " + host
}
