package engine

import (
	"context"
	"strings"
	"testing"
)

// A unique key that compares more loosely on the target than on the
// source (case-insensitive there) takes two source values for one. The
// row holding the other is not cleared as if its value had moved: the
// source still has it as it is, and nothing would have brought it back.
// Catch-up and repair stop, naming it, and the row stays.
func TestClearingRefusesLooserTargetCollation(t *testing.T) {
	for _, engine := range []string{"catch-up", "repair"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			src, dst := openMySQLT(t), openMySQLT(t)
			execT(t, src, "CREATE TABLE ue (id INT PRIMARY KEY, email VARCHAR(20) COLLATE utf8mb4_bin NOT NULL, UNIQUE KEY (email))",
				"INSERT INTO ue VALUES (1, 'X@y')")
			execT(t, dst, "CREATE TABLE ue (id INT PRIMARY KEY, email VARCHAR(20) COLLATE utf8mb4_general_ci NOT NULL, UNIQUE KEY (email))")
			copyT(t, src, dst, CopyOptions{Tables: []string{"ue"}})
			var err error
			switch engine {
			case "catch-up":
				installT(t, src, []string{"ue"})
				execT(t, src, "INSERT INTO ue VALUES (2, 'x@y')")
				_, err = Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained})
			case "repair":
				execT(t, src, "INSERT INTO ue VALUES (2, 'x@y')")
				_, err = Verify(ctx, src, dst, VerifyOptions{Tables: []string{"ue"}, Repair: true})
			}
			if err == nil || !strings.Contains(err.Error(), "row id=1 holds email on the source too") {
				t.Fatalf("%s over a looser target collation: %v, want row id=1 named", engine, err)
			}
			var email string
			if err := dst.SQL().QueryRow("SELECT email FROM ue WHERE id = 1").Scan(&email); err != nil || email != "X@y" {
				t.Fatalf("row id=1 on the target: %q, %v; want it kept", email, err)
			}
		})
	}
}
