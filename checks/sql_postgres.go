package checks

import (
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
)

// isPostgres reports whether db speaks to PostgreSQL through pgx.
func isPostgres(db *sql.DB) bool {
	_, ok := db.Driver().(*stdlib.Driver)
	return ok
}

// pgText writes a value scanned from PostgreSQL the way the server's own
// text cast (value::text) prints it with TimeZone UTC: booleans as
// true/false, dates without a time, timestamptz in UTC with "+00".
// numeric, uuid, interval, json and the rest already arrive as the
// server's text.
func pgText(v any, dbType string) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "true"
		}
		return "false"
	case time.Time:
		return pgTime(x, strings.ToUpper(dbType))
	}
	return asText(v)
}

func pgTime(t time.Time, dbType string) string {
	switch dbType {
	case "DATE":
		return t.Format(time.DateOnly)
	case "TIMESTAMPTZ":
		return asText(t.UTC()) + "+00"
	}
	return asText(t)
}

// errText is err's message with lines that repeat an earlier one dropped:
// pgx joins one line per attempt (with TLS, then without), which say the
// same thing twice on a server that refuses both.
func errText(err error) string {
	var kept []string
	for _, line := range strings.Split(err.Error(), "\n") {
		if !slices.ContainsFunc(kept, func(k string) bool { return strings.HasSuffix(k, line) }) {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n")
}
