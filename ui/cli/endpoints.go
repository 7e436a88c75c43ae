package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"runway/engine"
)

// endpoints are the flags `runway copy` and `runway verify` share: the two
// databases, the tables, a row filter and where MySQL passwords come from.
type endpoints struct {
	from, to     string
	tables       []string
	where        string
	defaultsFile string
	createTarget bool // the target's SQLite file may be created (copy)
}

// Environment variables holding the database password of each side, so that it
// stays out of the command line, which every user of the machine can read.
const (
	fromPasswordEnv = "RUNWAY_FROM_PASSWORD"
	toPasswordEnv   = "RUNWAY_TO_PASSWORD"
)

// register declares the flags; what the source is and what --where selects
// differ by command, so the caller words them.
func (e *endpoints) register(c *cobra.Command, fromHelp, tableHelp, whereHelp string) {
	fl := c.Flags()
	fl.StringVar(&e.from, "from", "", fromHelp)
	fl.StringVar(&e.to, "to", "", "target database URL")
	fl.StringSliceVar(&e.tables, "table", nil, tableHelp)
	fl.StringVar(&e.where, "where", "", whereHelp)
	fl.StringVar(&e.defaultsFile, "defaults-file", "", "MySQL option file whose [client] user and password log in (default ~/.my.cnf, when present)")
}

// complete reports whether both URLs and a table were given, once the
// table list is trimmed and rid of repeats ("a, b" is a and b).
func (e *endpoints) complete() bool {
	e.tables = engine.CleanTables(e.tables)
	return e.from != "" && e.to != "" && len(e.tables) > 0
}

// open connects to both databases; close releases them. A database that
// does not open is exit status 2, as bad input is, whether its URL is
// wrong, its SQLite file missing, its server not reachable within the
// first-contact time (retryFor, at most 10s) or its login refused: nothing
// was copied or compared. The password never shows in the message; one
// written in a URL works, with a warning on warn.
func (e *endpoints) open(ctx context.Context, warn io.Writer, retryFor time.Duration) (src, dst *engine.DB, close func(), err error) {
	if src, err = e.openSide(warn, "from", e.from, fromPasswordEnv, false); err != nil {
		return nil, nil, nil, withCode(ExitUsage, err)
	}
	if dst, err = e.openSide(warn, "to", e.to, toPasswordEnv, e.createTarget); err != nil {
		src.Close()
		return nil, nil, nil, withCode(ExitUsage, err)
	}
	close = func() { dst.Close(); src.Close() }
	within := min(retryFor, firstContact)
	for _, db := range []*engine.DB{src, dst} {
		if err := db.Reach(ctx, within); err != nil {
			close()
			if ctx.Err() != nil {
				return nil, nil, nil, withCode(ExitStopped, err)
			}
			return nil, nil, nil, withCode(ExitUsage, err)
		}
	}
	return src, dst, close, nil
}

// firstContact bounds how long a server is waited for before anything runs.
const firstContact = 10 * time.Second

// openSide opens one database. A SQLite file must exist unless create is
// set; a MySQL URL without a password takes it from env, then from the
// option file.
func (e *endpoints) openSide(warn io.Writer, flag, raw, env string, create bool) (*engine.DB, error) {
	if engine.IsPostgresURL(raw) {
		return openPostgresSide(warn, flag, raw, env)
	}
	if !engine.IsMySQLURL(raw) {
		if create {
			return engine.OpenURL(raw)
		}
		return engine.OpenSourceURL(raw)
	}
	cfg, err := engine.ParseMySQLURL(raw)
	if err != nil {
		return nil, err
	}
	if cfg.Passwd != "" {
		fmt.Fprintf(warn, "runway: warning: the --%s password is visible to other users of this machine (ps); set %s or use --defaults-file instead\n", flag, env)
	} else if err := fillLogin(cfg, env, e.defaultsFile); err != nil {
		return nil, fmt.Errorf("--%s %s: %w", flag, engine.RedactURL(raw), err)
	}
	return engine.OpenMySQL(cfg)
}
