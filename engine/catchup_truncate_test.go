package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"runway/engine/enginetest"
)

// A TRUNCATE fires no row trigger: the rows it removed were never logged,
// and the target kept them while the catch-up said it was drained. Now the
// table's new storage stops the catch-up once, on the side it happened;
// after verify --repair, the next run goes on and the two sides match.
func TestCatchupStopsOnTruncate(t *testing.T) {
	cases := []struct{ source, target, side string }{
		{"mysql", "sqlite", "source"},
		{"postgres", "sqlite", "source"},
		{"sqlite", "mysql", "target"},
		{"sqlite", "postgres", "target"},
	}
	for _, tc := range cases {
		t.Run(tc.source+"→"+tc.target+"/"+tc.side, func(t *testing.T) {
			ctx := context.Background()
			src, dst := guardSource(t, tc.source), guardTarget(t, tc.target)
			usersT(t, src, dst)
			opts := CatchupOptions{LogTable: "change_log", Tables: []string{"users"}, Until: UntilDrained}
			if _, err := Catchup(ctx, src, dst, opts); err != nil {
				t.Fatal(err)
			}
			truncated := src
			if tc.side == "target" {
				truncated = dst
			}
			execT(t, truncated, "TRUNCATE TABLE users")
			execT(t, src, "INSERT INTO users VALUES (3, 'c')")

			res, err := Catchup(ctx, src, dst, opts)
			refusedWith(t, "catch-up after a TRUNCATE", err, "users on the "+tc.side+" was truncated or rebuilt",
				"verify --repair", "goes on from here")
			if res.Drained {
				t.Errorf("drained over a truncated table: %+v", res)
			}
			if _, err := Verify(ctx, src, dst, VerifyOptions{Tables: []string{"users"}, Repair: true}); err != nil {
				t.Fatal(err)
			}
			if res, err := Catchup(ctx, src, dst, opts); err != nil || !res.Drained {
				t.Fatalf("after verify --repair, as the error says: %+v, %v", res, err)
			}
			verifyNoDiffs(t, src, dst, "users")
		})
	}
}

// A TRUNCATE while the catch-up runs is found at its next check.
func TestCatchupStopsOnTruncateWhileRunning(t *testing.T) {
	src, dst := openMySQLT(t), openSQLiteT(t, "dst")
	usersT(t, src, dst)
	truncated := false
	truncate := func() {
		if !truncated {
			truncated = true
			execT(t, src, "TRUNCATE TABLE users")
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Tables: []string{"users"},
		ConvergeFor: time.Hour, Poll: 10 * time.Millisecond, guardEvery: 10 * time.Millisecond, guarded: truncate})
	refusedWith(t, "catch-up", err, "users on the source was truncated or rebuilt")
	if res.Converged {
		t.Errorf("converged: %+v", res)
	}
}

// guardTarget opens a target database of kind.
func guardTarget(t *testing.T, kind string) *DB {
	if kind == "sqlite" {
		return openSQLiteT(t, "dst")
	}
	return guardSource(t, kind)
}

// A MySQL user without PROCESS cannot read InnoDB's table ids: the
// catch-up says once that a TRUNCATE is not watched, and runs.
func TestCatchupNotesTruncateUnwatchedWithoutProcess(t *testing.T) {
	dsn, db := enginetest.MySQL(t)
	root := openMySQLDSNT(t, dsn)
	user := "rw_noproc_" + db[len(db)-8:]
	for _, host := range []string{"%", "localhost", "127.0.0.1"} {
		execT(t, root, fmt.Sprintf("CREATE USER '%s'@'%s' IDENTIFIED BY 'pw'", user, host),
			fmt.Sprintf("GRANT ALL ON `%s`.* TO '%s'@'%s'", db, user, host))
		t.Cleanup(func() { root.SQL().Exec(fmt.Sprintf("DROP USER '%s'@'%s'", user, host)) })
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.User, cfg.Passwd = user, "pw"
	src, dst := openMySQLDSNT(t, cfg.FormatDSN()), openSQLiteT(t, "dst")
	usersT(t, src, dst)
	var notes []string
	res, err := Catchup(context.Background(), src, dst, CatchupOptions{LogTable: "change_log", Tables: []string{"users"}, Until: UntilDrained,
		Progress: func(p Progress) {
			if p.Note != "" {
				notes = append(notes, p.Note)
			}
		}})
	if err != nil || !res.Drained {
		t.Fatalf("catch-up without PROCESS: %+v, %v", res, err)
	}
	n := 0
	for _, note := range notes {
		if strings.Contains(note, "a TRUNCATE in ") && strings.Contains(note, "is not watched: reading InnoDB's table ids needs the PROCESS privilege") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d notes that a TRUNCATE is not watched, want 1: %q", n, notes)
	}
}
