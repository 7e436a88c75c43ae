package cli

import (
	"fmt"
	"io"
	"net/url"
	"os"

	"runway/engine"
)

// openPostgresSide opens a postgres:// URL. A password written in the URL
// works, with a warning; otherwise it comes from env (RUNWAY_FROM_PASSWORD
// or RUNWAY_TO_PASSWORD), else from PGPASSWORD or ~/.pgpass as psql finds it.
func openPostgresSide(warn io.Writer, flag, raw, env string) (*engine.DB, error) {
	raw, inURL := postgresLogin(raw, os.Getenv(env))
	if inURL {
		fmt.Fprintf(warn, "runway: warning: the --%s password is visible to other users of this machine (ps); set %s or PGPASSWORD instead\n", flag, env)
	}
	return engine.OpenPostgres(raw)
}

// postgresLogin puts password into raw when raw has none; inURL tells that
// raw carried its own. A URL that does not parse is returned as it is, for
// the opener to say what is wrong with it.
func postgresLogin(raw, password string) (out string, inURL bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return raw, false
	}
	if _, ok := u.User.Password(); ok {
		return raw, true
	}
	if password == "" {
		return raw, false
	}
	u.User = url.UserPassword(u.User.Username(), password)
	return u.String(), false
}
