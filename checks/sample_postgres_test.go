package checks

import (
	"context"
	"testing"

	"runway/runbook"
)

// A sql guard on PostgreSQL reads its value as a sql item does: the
// server's text form, in UTC, whatever the client's time zone.
func TestSQLGuardPostgresValueText(t *testing.T) {
	t.Setenv("TZ", "America/New_York")
	db := openPostgres(t, postgresDB(t))
	cases := []struct{ query, want string }{
		{"SELECT true", "true"},
		{"SELECT NULL::int", "NULL"},
		{"SELECT 2.50::numeric(10,2)", "2.50"},
		{"SELECT DATE '2024-02-29'", "2024-02-29"},
		{"SELECT TIMESTAMPTZ '2024-02-29 13:14:15+02'", "2024-02-29 11:14:15+00"},
		{"SELECT now() - now() < interval '1 minute'", "true"},
	}
	for _, c := range cases {
		s, err := NewSampler(runbook.Spec{SQL: &runbook.SQL{Conn: "db", Query: c.query}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Sample(context.Background(), envWithDB(db))
		if err != nil || got != c.want {
			t.Errorf("%s: got %q, %v; want %q", c.query, got, err, c.want)
		}
	}
}
