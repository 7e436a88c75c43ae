package engine

import (
	"context"
	"strings"
	"testing"
)

// A change log whose changed_at column is added, dropped or given another
// precision while the catch-up is stopped still holds, under the position's
// mark, the row it read there: only the way its time reads changed. The
// catch-up goes on and the target is whole.
func TestCatchupTakesUpALogWhoseTimeColumnChanged(t *testing.T) {
	cases := map[string][]string{
		"added": {"ALTER TABLE change_log DROP COLUMN changed_at", "",
			"ALTER TABLE change_log ADD COLUMN changed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"},
		"dropped":        {"", "ALTER TABLE change_log DROP COLUMN changed_at"},
		"less precision": {"", "ALTER TABLE change_log MODIFY changed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP"},
		"more precision": {"ALTER TABLE change_log MODIFY changed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP", "",
			"ALTER TABLE change_log MODIFY changed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"},
		"datetime":                {"", "ALTER TABLE change_log MODIFY changed_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"},
		"postgres dropped":        {"", "ALTER TABLE change_log DROP COLUMN changed_at"},
		"postgres less precision": {"", "ALTER TABLE change_log ALTER COLUMN changed_at TYPE timestamp(0)"},
		"postgres timestamptz":    {"", "SET TIME ZONE 'UTC'; ALTER TABLE change_log ALTER COLUMN changed_at TYPE timestamptz"},
	}
	for name, alter := range cases {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			open := openMySQLT
			if strings.HasPrefix(name, "postgres") {
				open = openPostgresT
			}
			src, dst := open(t), openSQLiteT(t, "dst")
			usersT(t, src, dst)
			for _, q := range alter[:1] {
				if q != "" {
					execT(t, src, q)
				}
			}
			execT(t, src, "INSERT INTO users VALUES (3, 'c')", "INSERT INTO users VALUES (4, 'd')")
			opts := CatchupOptions{LogTable: "change_log", Until: UntilDrained}
			if _, err := Catchup(ctx, src, dst, opts); err != nil {
				t.Fatal(err)
			}
			for _, q := range alter[1:] {
				if q != "" {
					execT(t, src, q)
				}
			}
			execT(t, src, "UPDATE users SET name = 'a2' WHERE id = 1", "DELETE FROM users WHERE id = 3")
			if _, err := Catchup(ctx, src, dst, opts); err != nil {
				t.Fatalf("changed_at %s: %v", name, err)
			}
			verifyNoDiffs(t, src, dst, "users")
		})
	}
}

func TestSameLogTime(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"2026-12-07 04:00:00.123456", "2026-12-07 04:00:00.123456", true},
		{"2026-12-07 04:00:00.123456", "", true},
		{"2026-12-07 04:00:00.123456", "2026-12-07 04:00:00", true},
		{"2026-12-07 04:00:00.723456", "2026-12-07 04:00:01", true},
		{"2026-12-07 04:00:00", "2026-12-07 04:00:00.000000", true},
		{"1733544482.123456", "1733544482.000000", true},
		{"1733544482.123456", "1733544482.123457", false},
		{"2026-12-07 04:00:00.123456", "2026-12-07 04:00:02", false},
		{"2026-12-07 04:00:00.123456", "2026-12-07 04:00:00.123457", false},
		{"not a time", "another", false},
	} {
		if got := sameLogTime(c.a, c.b); got != c.same {
			t.Errorf("sameLogTime(%q, %q) = %v, want %v", c.a, c.b, got, c.same)
		}
	}
}

// A start marked while the log's newest row belongs to a transaction still
// open: the mark is the newest row visible, and the row that commits later
// is read, not taken for a log that started over.
func TestCatchupMarkedBeforeAnOpenTransactionCommits(t *testing.T) {
	for _, kind := range []string{"mysql", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			src, dst := guardSource(t, kind), openSQLiteT(t, "dst")
			usersT(t, src, dst)
			execT(t, src, "UPDATE users SET name = 'b' WHERE id = 2") // as the copy has it
			tx, err := src.db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec("UPDATE users SET name = 'a2' WHERE id = 1"); err != nil {
				t.Fatal(err)
			}
			execT(t, src, "UPDATE users SET name = 'b' WHERE id = 2")
			if _, err := MarkCatchupStart(ctx, src, dst, "change_log", ""); err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			execT(t, src, "INSERT INTO users VALUES (3, 'c')")
			if _, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained}); err != nil {
				t.Fatal(err)
			}
			verifyNoDiffs(t, src, dst, "users")
		})
	}
}
