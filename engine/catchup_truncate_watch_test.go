package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"runway/engine/enginetest"
)

// A MySQL database or table named with characters InnoDB spells in its
// file-name encoding (a '-' is "@002d"): a TRUNCATE of it stops the
// catch-up like any other.
func TestCatchupStopsOnTruncateOfEncodedNames(t *testing.T) {
	for _, table := range []string{"users", "user-list"} {
		t.Run(table, func(t *testing.T) {
			ctx := context.Background()
			dsn, _ := enginetest.MySQLPrefixed(t, "runway-test-")
			src, dst := openMySQLDSNT(t, dsn), openSQLiteT(t, "dst")
			q := src.Quote(table)
			execT(t, src, "CREATE TABLE "+q+" (id INT PRIMARY KEY, name VARCHAR(20))", "INSERT INTO "+q+" VALUES (1, 'a'), (2, 'b')")
			copyT(t, src, dst, CopyOptions{Tables: []string{table}, Create: true})
			installT(t, src, []string{table})
			opts := CatchupOptions{LogTable: "change_log", Tables: []string{table}, Until: UntilDrained}
			if _, err := Catchup(ctx, src, dst, opts); err != nil {
				t.Fatal(err)
			}
			execT(t, src, "TRUNCATE TABLE "+q, "INSERT INTO "+q+" VALUES (3, 'c')")
			res, err := Catchup(ctx, src, dst, opts)
			refusedWith(t, "catch-up after a TRUNCATE", err, table+" on the source was truncated or rebuilt")
			if res.Drained {
				t.Errorf("drained over a truncated table; the target holds %d rows, the source 1", countT(t, dst, table))
			}
		})
	}
}

// Two MySQL databases whose names differ only in case, each with a users
// table (lower_case_table_names 0): the catch-up watches its own.
func TestCatchupStopsOnTruncateBesideDatabaseOfOtherCase(t *testing.T) {
	for _, upperSource := range []bool{false, true} {
		t.Run(map[bool]string{false: "lower", true: "upper"}[upperSource], func(t *testing.T) {
			ctx := context.Background()
			dsn, name := enginetest.MySQL(t)
			cfg, err := mysql.ParseDSN(dsn)
			if err != nil {
				t.Fatal(err)
			}
			other := strings.ToUpper(name)
			root := openMySQLDSNT(t, dsn)
			execT(t, root, "CREATE DATABASE `"+other+"`")
			t.Cleanup(func() { root.SQL().Exec("DROP DATABASE `" + other + "`") })
			cfg.DBName = other
			otherDSN := cfg.FormatDSN()
			srcDSN, besideDSN := dsn, otherDSN
			if upperSource {
				srcDSN, besideDSN = otherDSN, dsn
			}
			beside := openMySQLDSNT(t, besideDSN)
			execT(t, beside, "CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(20))")
			src, dst := openMySQLDSNT(t, srcDSN), openSQLiteT(t, "dst")
			usersT(t, src, dst)
			opts := CatchupOptions{LogTable: "change_log", Tables: []string{"users"}, Until: UntilDrained}
			if _, err := Catchup(ctx, src, dst, opts); err != nil {
				t.Fatal(err)
			}
			execT(t, src, "TRUNCATE TABLE users", "INSERT INTO users VALUES (3, 'c')")
			res, err := Catchup(ctx, src, dst, opts)
			refusedWith(t, "catch-up after a TRUNCATE", err, "users on the source was truncated or rebuilt")
			if res.Drained {
				t.Errorf("drained over a truncated table; the target holds %d rows, the source 1", countT(t, dst, "users"))
			}
		})
	}
}
