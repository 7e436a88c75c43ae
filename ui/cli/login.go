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

// optionValue reads a value as the mysql client reads an option file: a
// '#' outside quotes starts a comment, quotes around the whole value are
// dropped, and \n \t \r \b \s \" \' \\ are escapes (an unknown escape
// keeps its backslash).
func optionValue(v string) string {
	v = strings.TrimSpace(dropComment(v))
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		v = v[1 : len(v)-1]
	}
	return unescapeOption(v)
}

// dropComment cuts v at the first '#' that is not inside quotes; inside
// quotes, a backslash protects the next character.
func dropComment(v string) string {
	var quote byte
	escape := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if (c == '"' || c == '\'') && !escape {
			switch quote {
			case 0:
				quote = c
			case c:
				quote = 0
			}
		}
		if quote == 0 && c == '#' {
			return v[:i]
		}
		escape = quote != 0 && c == '\\' && !escape
	}
	return v
}

// optionEscapes are the escapes an option file's value may hold.
var optionEscapes = map[byte]byte{'n': '\n', 't': '\t', 'r': '\r', 'b': '\b', 's': ' ', '"': '"', '\'': '\'', '\\': '\\'}

// unescapeOption replaces the escapes of an option file's value.
func unescapeOption(v string) string {
	if !strings.Contains(v, "\\") {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] != '\\' || i == len(v)-1 {
			b.WriteByte(v[i])
			continue
		}
		i++
		if c, ok := optionEscapes[v[i]]; ok {
			b.WriteByte(c)
		} else {
			b.WriteByte('\\')
			b.WriteByte(v[i])
		}
	}
	return b.String()
}
