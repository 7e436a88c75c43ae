package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// sqliteFileDSN checks that a SQLite file (or, when it may be created, its
// folder) exists, and returns the DSN as a file: URI that tells the driver
// whether it may create the file: mode=rw refuses to, so a file removed
// after the check is not created either. A mode the DSN sets is kept.
func sqliteFileDSN(dsn, path string, create bool) (string, error) {
	_, err := os.Stat(path)
	switch {
	case err == nil:
	case !errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("sqlite:%s: %w", path, errors.Unwrap(err))
	case !create:
		return "", fmt.Errorf("sqlite:%s: no such file", path)
	default:
		dir := filepath.Dir(path)
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return "", fmt.Errorf("sqlite:%s: no such folder %s", path, dir)
		}
		return dsn, nil
	}
	if create || strings.Contains(dsn, "mode=") {
		return dsn, nil
	}
	if strings.HasPrefix(dsn, "file:") {
		return dsn + querySep(dsn) + "mode=rw", nil
	}
	query := ""
	if i := strings.IndexByte(dsn, '?'); i >= 0 {
		query = dsn[i+1:] + "&"
	}
	return "file:" + escapeURIPath(filepath.ToSlash(path)) + "?" + query + "mode=rw", nil
}

func querySep(dsn string) string {
	if strings.Contains(dsn, "?") {
		return "&"
	}
	return "?"
}

// escapeURIPath escapes the characters that would end or alter the path of
// a file: URI.
func escapeURIPath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}
