package cli

import (
	"database/sql"
	"errors"
	"flag"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary stand in for the runway command: scripts
// run "runway", which is this binary calling Execute, as main does.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"runway": func() { os.Exit(Execute(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// updateScripts rewrites the expected files inside the scripts that a cmp
// compares with: go test ./ui/cli -run TestScripts -update (read the diff).
var updateScripts = flag.Bool("update", false, "rewrite the files that cmp compares with in testdata/script")

// TestScripts runs the command-line behaviours that need no terminal (exit
// codes, error lines, lint output, the audit log's checks) from
// testdata/script/*.txtar: each file reads as a small documented session.
// Besides testscript's own commands, scripts have "exits" and "tamper".
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *updateScripts,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"exits":  cmdExits,
			"tamper": cmdTamper,
		},
	})
}

// cmdExits runs a command and checks its exit status:
//
//	exits 2 runway lint bad.yaml
//
// testscript's own "! exec" only tells failure from success, and runway's
// status says which failure (1 stopped, 2 usage or invalid runbook).
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits STATUS COMMAND [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		got = exit.ExitCode()
	case err != nil:
		ts.Fatalf("%s: %v", args[1], err)
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}

// cmdTamper rewrites one column of one event in an audit log, as someone
// editing the file behind runway's back would:
//
//	tamper runway.db 5 actor mallory
func cmdTamper(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 4 {
		ts.Fatalf("usage: tamper LOG SEQ COLUMN VALUE")
	}
	switch args[2] {
	case "actor", "kind", "phase", "item", "payload":
	default:
		ts.Fatalf("tamper: column %q is not one of actor, kind, phase, item, payload", args[2])
	}
	db, err := sql.Open("sqlite", ts.MkAbs(args[0]))
	ts.Check(err)
	defer db.Close()
	_, err = db.Exec(`DROP TRIGGER IF EXISTS events_no_update`)
	ts.Check(err)
	res, err := db.Exec(`UPDATE events SET `+args[2]+` = ? WHERE seq = ?`, args[3], args[1])
	ts.Check(err)
	if n, _ := res.RowsAffected(); n != 1 {
		ts.Fatalf("tamper: no event %s in %s", args[1], args[0])
	}
}
