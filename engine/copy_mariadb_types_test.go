package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
)

// mariaDBT skips t unless d is MariaDB (10.7 or later for UUID and INET6).
func mariaDBT(t *testing.T, d *DB) {
	t.Helper()
	if !d.isMariaDB(context.Background()) {
		t.Skip("needs MariaDB's UUID and INET6 types")
	}
}

// TestCopyMariaDBUUIDAndINET6 copies MariaDB UUID and INET6 columns, every
// value as a prepared statement's parameter, and compares the stored values
// with the source's. A binary string parameter of 16 bytes is taken by
// MariaDB as the raw form of such a value: the INET6 text
// 'fe80::11:1001:11', 16 characters, was stored as
// 6665:3830:3a3a:3131:3a31:3030:313a:3131 and the copy said it had copied
// the table; a UUID's 36 characters were refused ("Incorrect uuid value").
func TestCopyMariaDBUUIDAndINET6(t *testing.T) {
	src := openMySQLT(t)
	mariaDBT(t, src)
	execT(t, src,
		`CREATE TABLE addr (id UUID PRIMARY KEY, ip INET6, n INT)`,
		`INSERT INTO addr VALUES
			('00000001-1234-4abc-8def-000000001eef', 'fe80::11:1001:11', 1),
			('123e4567-e89b-12d3-a456-426614174000', '2001:db8::1:2:34', 2),
			('ffffffff-0000-1000-8000-000000000001', '::ffff:10.0.0.1', 3),
			('00000000-0000-0000-0000-000000000000', NULL, 4)`,
	)
	want := textColumn(t, src, "SELECT CONCAT_WS('|', id, COALESCE(ip, '-'), n) FROM addr ORDER BY n")
	for _, prepared := range []int{1, 0} {
		dst := openMySQLT(t)
		copyT(t, src, dst, CopyOptions{Tables: []string{"addr"}, Create: true, preparedRows: prepared})
		got := textColumn(t, dst, "SELECT CONCAT_WS('|', id, COALESCE(ip, '-'), n) FROM addr ORDER BY n")
		if len(got) != len(want) {
			t.Fatalf("prepared %d: %d rows on the target, want %d", prepared, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("prepared %d row %d: target holds %s, source %s", prepared, i+1, got[i], want[i])
			}
		}
		verifyNoDiffs(t, src, dst, "addr")

		// a repair writes them back as they are
		execT(t, dst, `UPDATE addr SET ip = '::2' WHERE n IN (1, 2)`, `DELETE FROM addr WHERE n = 3`)
		res, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{"addr"}, Repair: true})
		if err != nil {
			t.Fatalf("prepared %d: verify --repair: %v", prepared, err)
		}
		if res.Repaired != 3 {
			t.Errorf("prepared %d: repaired %d rows, want 3", prepared, res.Repaired)
		}
		verifyNoDiffs(t, src, dst, "addr")
	}
}

// TestCopySystemVersionedTable copies MariaDB system-versioned tables, one
// that declares its period's columns (MariaDB then adds the ROW END column
// to every unique key) and one that does not, into each engine, verifies
// and repairs them. The key was taken with its ROW END column, which is
// generated and never read: the copy created the table and then stopped
// with "key column re not among the columns read" (a created PostgreSQL
// or SQLite table named a column it did not have). Their history is named
// as not carried.
func TestCopySystemVersionedTable(t *testing.T) {
	ctx := context.Background()
	src := openMySQLT(t)
	mariaDBT(t, src)
	execT(t, src,
		`CREATE TABLE period (id INT PRIMARY KEY, code VARCHAR(10) NOT NULL, v INT,
			rs TIMESTAMP(6) GENERATED ALWAYS AS ROW START, re TIMESTAMP(6) GENERATED ALWAYS AS ROW END,
			PERIOD FOR SYSTEM_TIME (rs, re), UNIQUE KEY uc (code)) WITH SYSTEM VERSIONING`,
		`CREATE TABLE plain (id INT PRIMARY KEY, v INT) WITH SYSTEM VERSIONING`,
		`CREATE TABLE byunique (code VARCHAR(10) NOT NULL, v INT,
			rs TIMESTAMP(6) GENERATED ALWAYS AS ROW START INVISIBLE, re TIMESTAMP(6) GENERATED ALWAYS AS ROW END INVISIBLE,
			PERIOD FOR SYSTEM_TIME (rs, re), UNIQUE KEY uc (code)) WITH SYSTEM VERSIONING`,
		`INSERT INTO period (id, code, v) VALUES (1, 'a', 1), (2, 'b', 2), (3, 'c', 3)`,
		`INSERT INTO plain VALUES (1, 1), (2, 2)`,
		`INSERT INTO byunique (code, v) VALUES ('a', 1), ('b', 2)`,
		`UPDATE period SET v = 10 WHERE id = 1`, `DELETE FROM period WHERE id = 3`,
		`UPDATE plain SET v = 10`, `UPDATE byunique SET v = 5 WHERE code = 'a'`,
	)
	tables := []string{"period", "plain", "byunique"}
	for _, engine := range []string{MySQL, Postgres, SQLite} {
		t.Run(engine, func(t *testing.T) {
			dst := openTargetT(t, engine)
			plan, err := Preflight(ctx, src, dst, PreflightOptions{Engine: PlanCopy, Tables: tables, Create: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(plan.Problems) != 0 {
				t.Fatalf("plan problems: %v", plan.Problems)
			}
			res := copyT(t, src, dst, CopyOptions{Tables: tables, Create: true})
			for _, tr := range res.Tables {
				if !strings.Contains(strings.Join(tr.NotCarried, "\n"), "not carried: the history of the system-versioned table "+tr.Table) {
					t.Errorf("%s: the lost history is not named: %q", tr.Table, tr.NotCarried)
				}
			}
			for _, table := range tables {
				verifyNoDiffs(t, src, dst, table)
			}
			if got := textColumn(t, dst, "SELECT CONCAT(id, ':', code, ':', v) FROM period ORDER BY id"); strings.Join(got, " ") != "1:a:10 2:b:2" {
				t.Errorf("period on the target: %v", got)
			}
			execT(t, dst, `UPDATE period SET v = 99 WHERE id = 2`, `DELETE FROM byunique WHERE code = 'a'`)
			vr, err := Verify(ctx, src, dst, VerifyOptions{Tables: []string{"period", "byunique"}, Repair: true})
			if err != nil {
				t.Fatalf("verify --repair: %v", err)
			}
			if vr.Repaired != 2 {
				t.Errorf("repaired %d rows, want 2", vr.Repaired)
			}
			verifyNoDiffs(t, src, dst, "period")
			verifyNoDiffs(t, src, dst, "byunique")
		})
	}
}

// TestServerTextPacketTooLarge: a row too large for one statement under the
// target's max_allowed_packet is named with what to change on the server,
// not the driver's "Try adjusting the `Config.MaxAllowedPacket`", a setting
// of runway's own that a user cannot reach.
func TestServerTextPacketTooLarge(t *testing.T) {
	got := serverText(fmt.Errorf("write: %w", mysql.ErrPktTooLarge))
	if strings.Contains(got, "Config.") || !strings.Contains(got, "max_allowed_packet") || strings.Contains(got, "\n") {
		t.Errorf("serverText = %q", got)
	}
}
