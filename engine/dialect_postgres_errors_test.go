package engine

import (
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// A server that ended the session (shutdown, idle timeout) or a lost
// connection is retried; a constraint or a syntax error is not.
func TestPostgresTransientCodes(t *testing.T) {
	for code, want := range map[string]bool{
		"57P01": true, "57P05": true, "40001": true, "08006": true,
		"23505": false, "42601": false,
	} {
		got, ok := postgresTransient(&pgconn.PgError{Code: code})
		if !ok || got != want {
			t.Errorf("%s: transient %v (classified %v), want %v", code, got, ok, want)
		}
	}
}
