package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-sql-driver/mysql"
)

// fillLogin completes a MySQL login whose URL names no password: from the
// environment variable env when it is set, else from the [client] group of
// the option file (defaultsFile, or ~/.my.cnf when it exists, as the mysql
// client does). The file's user fills a URL without one; its password is
// used only for that same user, so one account's password is never sent
// for another.
func fillLogin(cfg *mysql.Config, env, defaultsFile string) error {
	if pw, ok := os.LookupEnv(env); ok {
		cfg.Passwd = pw
		return nil
	}
	path, explicit := defaultsFile, defaultsFile != ""
	if !explicit {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil
		}
		path = filepath.Join(home, ".my.cnf")
	}
	opts, err := readClientOptions(path)
	switch {
	case err != nil && !explicit && errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	}
	user, hasUser := opts["user"]
	if cfg.User == "" {
		cfg.User = user
	}
	if hasUser && user != cfg.User {
		if explicit {
			return fmt.Errorf("--defaults-file %s is for user %q, not %q", path, user, cfg.User)
		}
		return nil
	}
	cfg.Passwd = opts["password"]
	return nil
}

// readClientOptions reads the [client] group of a MySQL option file:
// key=value lines, # and ; comments, quoted values, - and _ alike in keys.
// Errors name the file and line, never a value.
func readClientOptions(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("option file: %w", err)
	}
	defer f.Close()
	opts := map[string]string{}
	group := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#' || line[0] == ';' || line[0] == '!':
			continue
		case line[0] == '[':
			end := strings.IndexByte(line, ']')
			if end < 0 {
				return nil, fmt.Errorf("option file %s line %d: unclosed [group]", path, n)
			}
			group = strings.ToLower(strings.TrimSpace(line[1:end]))
			continue
		}
		if group != "client" {
			continue
		}
		key, val, _ := strings.Cut(line, "=")
		key = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(key)), "_", "-")
		opts[key] = optionValue(strings.TrimSpace(val))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("option file %s: %w", path, err)
	}
	return opts, nil
}

// optionValue unquotes a value written in quotes, or drops a trailing
// comment from one that is not.
func optionValue(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') {
		if end := strings.LastIndexByte(v, v[0]); end > 0 {
			return v[1:end]
		}
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	return v
}
